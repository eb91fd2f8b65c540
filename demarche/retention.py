"""Retention (RGPD art. 5.1.e): what `flask purge` deletes, and when.

A dossier is deleted with everything that names it (events, e-mails, messages, access journal lines, its
consent record; only a keyed digest of its reference stays, demarche/verification/models.py) once its
last event is older than the retention of its status (RETENTION_DAYS_<STATUS>; a status without one,
« en instruction » and « en attente de correction » by default, is never purged, as in demarches-simplifiees.fr:
https://doc.demarches-simplifiees.fr/). Expired drafts and
sessions go too, consent records that no dossier or draft uses any more, old access-journal lines, and
citizens left with nothing after a long inactivity.
Each deleted dossier is announced to its organisation's webhooks (dossier.supprime).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from demarche.api.idempotency import KEPT_FOR
from demarche.extensions import db
from demarche.journey.services import DRAFT_LIFETIME
from demarche.messages.models import DossierMessage, MessageThread
from demarche.models import (
    AccessLog,
    ApiIdempotencyKey,
    Citizen,
    ConsentRecord,
    Dossier,
    DossierEvent,
    OutboxMessage,
    Prefill,
    WebSession,
    utcnow,
)
from demarche.renewal.models import RenewalInvitation
from demarche.sessions import purge_expired_sessions
from demarche.statuses import STATUSES
from demarche.verification.service import bury
from demarche.webhooks import events as webhook_events
from demarche.webhooks import retention as webhook_retention


def purge(retention: dict[str, int | None], idle: timedelta, now: datetime | None = None) -> dict[str, int]:
    """Delete what has expired at `now` (default: the present) in one transaction; counts per kind."""
    now = now or utcnow()
    counts = {"dossiers": 0}
    dossier_ids, consent_ids = _expired_dossiers(retention, now)
    counts["dossiers"] = len(dossier_ids)
    _announce_deletions(dossier_ids)
    counts["événements"] = _delete(DossierEvent, DossierEvent.dossier_id.in_(dossier_ids))
    counts["courriels"] = _delete(OutboxMessage, OutboxMessage.dossier_id.in_(dossier_ids))
    counts["lignes du journal des accès"] = _delete(AccessLog, AccessLog.dossier_id.in_(dossier_ids))
    counts["messages"] = _delete(DossierMessage, DossierMessage.dossier_id.in_(dossier_ids))
    _delete(MessageThread, MessageThread.dossier_id.in_(dossier_ids))
    _delete(RenewalInvitation, RenewalInvitation.dossier_id.in_(dossier_ids))
    bury(dossier_ids)  # the verification page can still say « ce dossier n'existe plus »
    _delete(Dossier, Dossier.id.in_(dossier_ids))
    counts["brouillons"] = _delete(Prefill, Prefill.expires_at <= now)
    counts["accords"] = _delete(ConsentRecord, ConsentRecord.id.in_(_orphan_consents(consent_ids, now)))
    if retention.get("access_log"):
        counts["lignes du journal des accès"] += _delete(
            AccessLog, AccessLog.at < now - timedelta(days=retention["access_log"]))
    counts["comptes inactifs"] = _inactive_citizens(retention.get("inactive_account"), now)
    counts["envois de webhooks"] = webhook_retention.purge(now)
    # An API answer kept for retries may quote a motive: gone once its key expires (demarche/api/idempotency.py).
    counts["clés d’idempotence de l’API"] = _delete(ApiIdempotencyKey, ApiIdempotencyKey.created_at < now - KEPT_FOR)
    db.session.commit()
    counts["sessions"] = purge_expired_sessions(idle, now)
    return counts


def _announce_deletions(ids: list[int]) -> None:
    """A dossier.supprime webhook event per deleted dossier, in the purge's transaction (read before deleting)."""
    rows = db.session.execute(select(Dossier.reference, Dossier.procedure, Dossier.status,
                                     Dossier.organisation_siret).where(Dossier.id.in_(ids))).all()
    for row in rows:
        webhook_events.record("dossier.supprime", row)


def _delete(model, condition) -> int:
    return db.session.execute(delete(model).where(condition).execution_options(synchronize_session=False)).rowcount


def _expired_dossiers(retention: dict[str, int | None], now: datetime) -> tuple[list[int], set[int]]:
    """Ids of the dossiers past their status's retention, counted from their last event, and their consents."""
    last_event = (select(DossierEvent.dossier_id, func.max(DossierEvent.at).label("at"))
                  .group_by(DossierEvent.dossier_id).subquery())
    ids, consents = [], set()
    for status in STATUSES:
        days = retention.get(status)
        if not days:
            continue
        rows = db.session.execute(
            select(Dossier.id, Dossier.consent_id).outerjoin(last_event, last_event.c.dossier_id == Dossier.id)
            .where(Dossier.status == status,
                   func.coalesce(last_event.c.at, Dossier.updated_at) < now - timedelta(days=days))
        ).all()
        ids += [row.id for row in rows]
        consents |= {row.consent_id for row in rows}
    return ids, consents


def _orphan_consents(candidates: set[int], now: datetime) -> list[int]:
    """The purged dossiers' consents, and any other that no dossier nor draft uses past a draft's lifetime."""
    used = select(Dossier.consent_id).union(select(Prefill.consent_id))
    query = select(ConsentRecord.id).where(ConsentRecord.id.not_in(used),
                                           (ConsentRecord.id.in_(candidates))
                                           | (ConsentRecord.created_at < now - DRAFT_LIFETIME))
    return list(db.session.scalars(query))


def _inactive_citizens(days: int | None, now: datetime) -> int:
    """Citizens without dossier, draft or consent left who have not logged in for `days` days."""
    if not days:
        return 0
    ids = list(db.session.scalars(select(Citizen.id).where(
        Citizen.last_login_at < now - timedelta(days=days),
        Citizen.id.not_in(select(Dossier.citizen_id)), Citizen.id.not_in(select(Prefill.citizen_id)),
        Citizen.id.not_in(select(ConsentRecord.citizen_id)))))
    _delete(WebSession, WebSession.citizen_id.in_(ids))
    return _delete(Citizen, Citizen.id.in_(ids))
