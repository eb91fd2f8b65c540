"""The dossier's retention (RGPD art. 5.1.e): a dossier is deleted once its last event is older than the
retention of its status (RETENTION_DAYS_<STATUS>; a status without one, « en instruction » and « en attente de
correction » by default, is never purged, as in demarches-simplifiees.fr: https://doc.demarches-simplifiees.fr/).

It goes with everything that names it: its events, e-mails and access-journal lines here, and what the other
features keep about it (messages, invitations, the verification page's tombstone), each declared with
`@attached`. Each deleted dossier is announced to its organisation's webhooks (dossier.supprime).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from demarche import tasks
from demarche.dossiers.models import Dossier, DossierEvent
from demarche.dossiers.settings import settings
from demarche.dossiers.states import STATUSES
from demarche.extensions import db
from demarche.models import AccessLog, OutboxMessage
from demarche.webhooks import events as webhook_events

# What another feature keeps about a dossier: `function(dossier_ids) -> {kind: count}` deletes it first.
ATTACHED: list[Callable[[list[int]], dict[str, int]]] = []


def attached(function: Callable[[list[int]], dict[str, int]]) -> Callable[[list[int]], dict[str, int]]:
    """Declare what a feature deletes (or keeps a trace of) before expired dossiers are deleted."""
    if function not in ATTACHED:
        ATTACHED.append(function)
    return function


@tasks.purge(order=10)
def purge(now: datetime) -> dict[str, int]:
    """Delete the expired dossiers with what names them, in the caller's transaction; counts per kind."""
    retention = settings().retention_days
    ids = _expired(retention, now)
    _announce_deletions(ids)
    counts = {"dossiers": len(ids), "événements": _delete(DossierEvent, DossierEvent.dossier_id.in_(ids)),
              "courriels": _delete(OutboxMessage, OutboxMessage.dossier_id.in_(ids)),
              "lignes du journal des accès": _delete(AccessLog, AccessLog.dossier_id.in_(ids))}
    for forget in ATTACHED:
        for kind, count in forget(ids).items():
            counts[kind] = counts.get(kind, 0) + count
    _delete(Dossier, Dossier.id.in_(ids))
    if retention.get("access_log"):
        counts["lignes du journal des accès"] += _delete(
            AccessLog, AccessLog.at < now - timedelta(days=retention["access_log"]))
    return counts


def _announce_deletions(ids: list[int]) -> None:
    """A dossier.supprime webhook event per deleted dossier, in the purge's transaction (read before deleting)."""
    rows = db.session.execute(select(Dossier.reference, Dossier.procedure, Dossier.status,
                                     Dossier.organisation_siret).where(Dossier.id.in_(ids))).all()
    for row in rows:
        webhook_events.record("dossier.supprime", row)


def _delete(model, condition) -> int:
    return db.session.execute(delete(model).where(condition).execution_options(synchronize_session=False)).rowcount


def _expired(retention: dict[str, int | None], now: datetime) -> list[int]:
    """Ids of the dossiers past their status's retention, counted from their last event."""
    last_event = (select(DossierEvent.dossier_id, func.max(DossierEvent.at).label("at"))
                  .group_by(DossierEvent.dossier_id).subquery())
    ids = []
    for status in STATUSES:
        days = retention.get(status)
        if not days:
            continue
        ids += db.session.scalars(
            select(Dossier.id).outerjoin(last_event, last_event.c.dossier_id == Dossier.id)
            .where(Dossier.status == status,
                   func.coalesce(last_event.c.at, Dossier.updated_at) < now - timedelta(days=days))
        ).all()
    return ids
