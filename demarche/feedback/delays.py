"""« Ces derniers mois, 90 % des dossiers ont été traités en moins de N jours », from real dossiers:
the time from deposit to the first decision (accepté, refusé, classé sans suite) of the dossiers decided
in the last three months, 90th percentile by the nearest-rank method. Hidden below a minimum count
(EXPECTATIONS_MIN_DOSSIERS): a figure from a handful of dossiers would promise what it cannot hold."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import func, select

from demarche.dossiers.models import Dossier, DossierEvent
from demarche.dossiers.states import DECISIONS
from demarche.extensions import db
from demarche.feedback.settings import settings
from demarche.models import utcnow

WINDOW = timedelta(days=91)
SHARE = 0.9


def processing_days(procedure: str, now: datetime | None = None) -> list[float]:
    """Days from deposit to first decision, for the dossiers of a démarche decided within the window."""
    now = now or utcnow()
    first_decision = (select(DossierEvent.dossier_id, func.min(DossierEvent.at).label("at"))
                      .where(DossierEvent.kind == "status_changed", DossierEvent.to_status.in_(DECISIONS))
                      .group_by(DossierEvent.dossier_id).subquery())
    rows = db.session.execute(
        select(Dossier.submitted_at, first_decision.c.at)
        .join(first_decision, first_decision.c.dossier_id == Dossier.id)
        .where(Dossier.procedure == procedure, first_decision.c.at >= now - WINDOW)).all()
    return [(decided - submitted).total_seconds() / 86400 for submitted, decided in rows]


def expected_days(procedure: str, now: datetime | None = None, minimum: int | None = None) -> int | None:
    """N such that 90 % of the recent dossiers were decided in less than N days; None below the minimum."""
    if minimum is None:
        minimum = settings().expectations_min_dossiers
    days = sorted(processing_days(procedure, now))
    if not days or len(days) < max(minimum, 1):
        return None
    percentile = days[math.ceil(SHARE * len(days)) - 1]  # nearest rank: 90 % of the dossiers took at most this
    return math.floor(percentile) + 1  # « en moins de N jours » holds strictly
