"""A dossier as the API shows it: answers, certified values with their provenance, consent, FranceConnect
trace, history and the corrections asked of the citizen. Stored times are naive UTC; the API says so (ISO 8601
with +00:00)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

from flask import current_app

from demarche import counter
from demarche.api import schemas
from demarche.dossiers import history, transitions
from demarche.dossiers.models import Dossier, DossierEvent
from demarche.dossiers.provenance import certified_sources
from demarche.dossiers.states import label
from demarche.extensions import db
from demarche.models import ConsentRecord
from demarche.procedures import PROCEDURES


def utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value else None


def summary(dossier: Dossier) -> schemas.DossierSummary:
    procedure = PROCEDURES.get(dossier.procedure)
    return schemas.DossierSummary(
        reference=dossier.reference, procedure=dossier.procedure,
        procedure_title=procedure.title if procedure else dossier.procedure, status=dossier.status,
        status_label=label(dossier.status), submitted_at=utc(dossier.submitted_at), updated_at=utc(dossier.updated_at))


def detail(dossier: Dossier) -> schemas.DossierDetail:
    events = db.session.scalars(db.select(DossierEvent).filter_by(dossier_id=dossier.id)
                                .order_by(DossierEvent.at, DossierEvent.id)).all()
    return schemas.DossierDetail(
        **summary(dossier).model_dump(), identity=dossier.identity or {}, answers=dossier.answers or {},
        certified=_certified(dossier), consent=_consent(db.session.get(ConsentRecord, dossier.consent_id)),
        authentication=_authentication(dossier), filed_for=_filed_for(dossier), events=[event(e) for e in events],
        correction_requests=[schemas.CorrectionRound(
            requested_at=utc(r.requested_at), requested_by=r.requested_by, motive=r.motive,
            corrected_at=utc(r.corrected_at), changes=list(r.changes)) for r in history.rounds(list(events))],
        allowed_statuses=list(transitions.allowed_moves(dossier)))


def event(item: DossierEvent) -> schemas.Event:
    return schemas.Event(at=utc(item.at), actor=item.actor, kind=item.kind, from_status=item.from_status,
                         to_status=item.to_status, motive=item.motive, changes=item.changes)


def _certified(dossier: Dossier) -> list[schemas.CertifiedSource]:
    # Labels come from the procedure's declared sources (the back-office's reading of the same snapshot).
    labels = {s.key: s.label for s in certified_sources(PROCEDURES.get(dossier.procedure), dossier)}
    result = []
    for key, snapshot in (dossier.certified or {}).items():
        provenance = {k: str(v) for k, v in (snapshot.get("provenance") or {}).items()
                      if k in schemas.Provenance.model_fields and v is not None}
        result.append(schemas.CertifiedSource(source=key, label=labels.get(key, key), data=snapshot.get("data") or {},
                                              provenance=schemas.Provenance(**provenance)))
    return result


def _consent(record: ConsentRecord | None) -> schemas.Consent | None:
    if record is None:
        return None
    return schemas.Consent(text_version=record.text_version, categories=list(record.categories or []),
                           decision=record.decision, modality=record.modality, recipient=record.recipient,
                           decided_at=utc(record.created_at), outcome=record.outcome)


def _authentication(dossier: Dossier) -> schemas.Authentication | None:
    trace = dossier.authentication or {}
    if not trace.get("sub"):
        return None
    auth_time = trace.get("auth_time")
    return schemas.Authentication(
        provider=trace.get("provider", "FranceConnect"), issuer=trace.get("issuer", ""), acr=trace.get("acr"),
        auth_time=datetime.fromtimestamp(auth_time, UTC) if isinstance(auth_time, int | float) else None,
        citizen_pseudonym=pseudonym(dossier.organisation_siret or "", trace.get("issuer", ""), trace["sub"]))


def _filed_for(dossier: Dossier) -> schemas.FiledFor | None:
    found = counter.filed_for(dossier)
    if not found:
        return None
    return schemas.FiledFor(filed_by=found["agent"], filed_by_email=found["agent_email"],
                            organisation_siret=found["organisation_siret"], on_behalf_of=found["person"],
                            text=counter.filed_for_text(dossier))


def pseudonym(siret: str, issuer: str, sub: str) -> str:
    """HMAC of (organisation, issuer, sub): stable for one organisation, useless to link across organisations
    or to FranceConnect. It changes if SECRET_KEY changes (documented in docs/api.md)."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"api-citizen:{siret}:{issuer}:{sub}".encode(), hashlib.sha256).hexdigest()[:32]
