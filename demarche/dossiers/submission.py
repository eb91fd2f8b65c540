"""Submission: a draft becomes a dossier exactly once, with its first event, receipt and webhook event in one
transaction (the draft's key is unique on dossiers, so a double click or a replayed POST ends on the same one)."""

from __future__ import annotations

import logging
import secrets

from sqlalchemy.exc import IntegrityError

from demarche.dossiers import notices
from demarche.dossiers.models import Dossier, DossierEvent
from demarche.dossiers.settings import settings
from demarche.extensions import db
from demarche.models import Prefill, utcnow
from demarche.procedures.base import Procedure
from demarche.validation import is_draft_key
from demarche.webhooks import events as webhook_events

log = logging.getLogger("demarche.dossiers")
_REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read on the phone


def find_dossier(idempotency_key: str, citizen_id: int) -> Dossier | None:
    """The dossier already filed from this draft key; a key the service cannot have made finds nothing,
    without a query (PostgreSQL refuses a NUL in a string)."""
    if not is_draft_key(idempotency_key):
        return None
    return db.session.scalar(db.select(Dossier).filter_by(idempotency_key=idempotency_key, citizen_id=citizen_id))


def submit(procedure: Procedure, draft: Prefill, *, answers: dict, identity: dict, authentication: dict,
           columns: dict | None = None) -> Dossier:
    """Store the dossier, its certified snapshot, consent link and first event in one transaction. `columns`:
    the dossier's other columns (declared form data, renewal opt-in, the dossier it renews: journey/followups.py).

    The draft's key is unique on dossiers: a double click, a replayed POST or two concurrent
    submissions all end on the same dossier.
    """
    key, citizen_id = draft.idempotency_key, draft.citizen_id  # still readable after a rollback
    dossier = Dossier(
        reference=new_reference(procedure.reference_prefix), procedure=procedure.slug, citizen_id=citizen_id,
        status="depose", identity=identity, answers=answers, certified=draft.certified,
        consent_id=draft.consent_id, authentication=authentication, idempotency_key=key,
        organisation_siret=settings().organisation_siret,
        data_refreshed_at=draft.refreshed_at, **_citizen_check(answers), **(columns or {}),
    )
    db.session.add(dossier)
    try:
        db.session.flush()
        db.session.add(DossierEvent(dossier_id=dossier.id, actor="usager", kind="submitted", to_status="depose"))
        notices.queue_receipt(procedure, dossier)  # committed with the dossier, sent after the request
        webhook_events.record("dossier.depose", dossier)  # same transaction; delivered after the commit
        db.session.delete(draft)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = find_dossier(key, citizen_id)
        if existing is None:
            raise
        return existing
    log.info("dossier submitted", extra={"context": {"procedure": procedure.slug, "reference": dossier.reference}})
    return dossier


def _citizen_check(answers: dict) -> dict:
    """The citizen's word on the certified data, as dossier columns (None: no certified data to judge)."""
    check = answers.get("certified_check")
    if not check:
        return {}
    return {"data_correct": bool(check.get("correct")), "data_comment": check.get("comment") or None}


def new_reference(prefix: str) -> str:
    """« CAN-2026-7KQ4M2 »: short enough to dictate, random enough not to be guessed."""
    suffix = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))
    return f"{prefix}-{utcnow().year}-{suffix}"
