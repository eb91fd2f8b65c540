"""Rules of the journey, without Flask requests: record consent, prefill, submit exactly once.

The prefill reads top-down: the démarche's sources → the provider package (one concurrent fetch) →
typed results → snapshots in the draft. What happened is announced (demarche/signals.py), never reported.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy.exc import IntegrityError

from demarche import mail, signals
from demarche.extensions import db
from demarche.identity import PivotIdentity
from demarche.models import ConsentRecord, Dossier, DossierEvent, Prefill, utcnow
from demarche.procedures.base import Procedure
from demarche.procedures.certified import snapshot
from demarche.providers import api_particulier
from demarche.providers.api_particulier import ApiParticulierClient
from demarche.webhooks import events as webhook_events

log = logging.getLogger("demarche.journey")
DRAFT_LIFETIME = timedelta(hours=24)
_REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read on the phone


def api_client() -> ApiParticulierClient:
    """The app's API Particulier client (one per process; thread-safe)."""
    client = current_app.extensions.get("api_particulier")
    if client is None:
        settings = current_app.config["SETTINGS"]
        client = ApiParticulierClient(settings.api_particulier_url, settings.api_particulier_recipient,
                                      token=settings.api_particulier_token,
                                      timeout=settings.api_particulier_timeout,
                                      total_budget=settings.api_particulier_timeout * 2.5)
        current_app.extensions["api_particulier"] = client
    return client


def record_consent(procedure: Procedure, *, citizen_id: int, citizen_key: str, accepted: bool) -> ConsentRecord:
    """Write the citizen's choice before anything is fetched; the outcome is filled in later."""
    settings = current_app.config["SETTINGS"]
    consent = ConsentRecord(
        citizen_id=citizen_id, citizen_key=citizen_key, procedure=procedure.slug,
        text_version=procedure.consent.version, categories=list(procedure.consent.categories),
        decision="accepted" if accepted else "refused",
        modality=settings.api_particulier_modality if accepted else "none",
        recipient=settings.api_particulier_recipient, outcome="pending" if accepted else "not_called",
    )
    db.session.add(consent)
    db.session.commit()
    if not accepted:
        signals.consent_recorded.send(consent)
    return consent


def prefill(procedure: Procedure, consent: ConsentRecord, *, fc_token: str | None,
            identity: PivotIdentity) -> Prefill:
    """Fetch every source at once (the slowest provider sets the time) and keep a draft of what came."""
    credential = {"fc_access_token": fc_token} if fc_token else {"identity": identity}
    results = api_particulier.fetch(api_client(), [s.request for s in procedure.sources], **credential)
    certified, failures = {}, {}
    for source in procedure.sources:
        result = results[source.key]
        signals.provider_answered.send(source.key, result=result)
        if result.failure:
            failures[source.key] = result.failure.value
            log.info("prefill source failed", extra={"context": {
                "source": source.key, "kind": result.failure.value, "request_id": result.request_id}})
        else:
            certified[source.key] = snapshot(source, result, consent.modality)
    consent.outcome = _outcome(certified, failures)
    consent.outcome_at = utcnow()
    signals.consent_recorded.send(consent)
    return new_draft(procedure, consent, certified=certified, failures=failures)


def _outcome(certified: dict, failures: dict) -> str:
    if not failures:
        return "success"
    if certified:
        return "partial"
    kinds = set(failures.values())
    return kinds.pop() if len(kinds) == 1 else "failed"


def new_draft(procedure: Procedure, consent: ConsentRecord, *, certified: dict | None = None,
              failures: dict | None = None) -> Prefill:
    """A draft holding the certified snapshot; its key makes the submission idempotent."""
    draft = Prefill(
        citizen_id=consent.citizen_id, procedure=procedure.slug, consent_id=consent.id,
        mode="certified" if certified else "manual", certified=certified or {}, failures=failures or {},
        idempotency_key=secrets.token_urlsafe(32), expires_at=utcnow() + DRAFT_LIFETIME,
    )
    db.session.add(draft)
    db.session.commit()
    return draft


def find_dossier(idempotency_key: str, citizen_id: int) -> Dossier | None:
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
        organisation_siret=current_app.config["SETTINGS"].api_particulier_recipient, **(columns or {}),
    )
    db.session.add(dossier)
    try:
        db.session.flush()
        db.session.add(DossierEvent(dossier_id=dossier.id, actor="usager", kind="submitted", to_status="depose"))
        mail.queue_receipt(procedure, dossier)  # committed with the dossier, sent after the request
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


def new_reference(prefix: str) -> str:
    """« CAN-2026-7KQ4M2 »: short enough to dictate, random enough not to be guessed."""
    suffix = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))
    return f"{prefix}-{utcnow().year}-{suffix}"
