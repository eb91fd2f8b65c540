"""What the journey keeps and for how long: a draft for a day (DRAFT_LIFETIME), a consent record as long as a
dossier or a draft uses it, and the account of a citizen left with nothing after a long inactivity
(RETENTION_DAYS_INACTIVE_ACCOUNT). Run by `flask purge` with the other features' rules (demarche/tasks)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from demarche import tasks
from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.identity_checks.models import IdentityCheck
from demarche.journey.services import DRAFT_LIFETIME
from demarche.journey.settings import settings
from demarche.models import Citizen, ConsentRecord, Prefill, WebSession


@tasks.purge(order=20)
def purge(now: datetime) -> dict[str, int]:
    """Expired drafts, then the consent records no dossier nor draft uses past a draft's lifetime (a purged
    dossier's included: the dossiers' rule ran first)."""
    drafts = _delete(Prefill, Prefill.expires_at <= now)
    # The agreement to an identity check (demarche/identity_checks) lives as long as its dossier too.
    used = select(Dossier.consent_id).union(select(Prefill.consent_id), select(IdentityCheck.consent_id))
    orphans = list(db.session.scalars(select(ConsentRecord.id).where(
        ConsentRecord.id.not_in(used), ConsentRecord.created_at < now - DRAFT_LIFETIME)))
    return {"brouillons": drafts, "accords": _delete(ConsentRecord, ConsentRecord.id.in_(orphans))}


@tasks.purge(order=90)
def purge_accounts(now: datetime) -> dict[str, int]:
    """Citizens without dossier, draft or consent left who have not logged in for the configured days."""
    days = settings().inactive_account_days
    if not days:
        return {"comptes inactifs": 0}
    ids = list(db.session.scalars(select(Citizen.id).where(
        Citizen.last_login_at < now - timedelta(days=days),
        Citizen.id.not_in(select(Dossier.citizen_id)), Citizen.id.not_in(select(Prefill.citizen_id)),
        Citizen.id.not_in(select(ConsentRecord.citizen_id)))))
    _delete(WebSession, WebSession.citizen_id.in_(ids))
    return {"comptes inactifs": _delete(Citizen, Citizen.id.in_(ids))}


def _delete(model, condition) -> int:
    return db.session.execute(delete(model).where(condition).execution_options(synchronize_session=False)).rowcount
