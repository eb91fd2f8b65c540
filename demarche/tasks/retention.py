"""Retention (RGPD art. 5.1.e): `flask purge` and the nightly purge run every feature's own rule, in order,
in one transaction. Each feature says what it keeps and for how long (demarche/dossiers/retention.py…)."""

from __future__ import annotations

import logging
from datetime import datetime

from huey import crontab

from demarche.extensions import db
from demarche.models import utcnow
from demarche.tasks.registry import PURGES, periodic

log = logging.getLogger("demarche.tasks")


def purge(now: datetime | None = None) -> dict[str, int]:
    """Delete what has expired at `now` (default: the present); counts per kind, summed over the features."""
    now = now or utcnow()
    counts: dict[str, int] = {}
    for step in sorted(PURGES, key=lambda step: step.order):
        for kind, count in step.function(now).items():
            counts[kind] = counts.get(kind, 0) + count
    db.session.commit()
    return counts


@periodic(crontab(hour="3", minute="17"), name="purge")
def nightly() -> None:
    """Every night (UTC): what `flask purge` does, then the counts in the log."""
    log.info("scheduled purge", extra={"context": {"counts": purge()}})
