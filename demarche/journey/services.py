"""Rules of the journey, without Flask requests: record consent, prefill, keep the draft (filed by
demarche/dossiers/submission.py).

The prefill reads top-down: the sources the citizen chose → the providers (one concurrent fetch, API
Particulier and the DGFiP side by side) → typed results → the same-person check → snapshots in the draft.
What happened is announced (demarche/signals.py), never reported.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from demarche import providers, resilience, signals
from demarche.extensions import db
from demarche.identity import PivotIdentity
from demarche.journey.settings import settings
from demarche.models import ConsentRecord, Prefill, utcnow
from demarche.procedures.base import DataSource, Procedure
from demarche.procedures.certified import snapshot
from demarche.providers.results import FailureKind, SourceResult
from demarche.providers.sources import fetch as fetch_sources

log = logging.getLogger("demarche.journey")
DRAFT_LIFETIME = timedelta(hours=24)


def record_consent(procedure: Procedure, *, citizen_id: int, citizen_key: str, accepted: bool,
                   sources: list[str] | None = None, kind: str = "prefill",
                   modality: str | None = None) -> ConsentRecord:
    """Write the citizen's choice (which sources, or none) before anything is fetched; the outcome is filled
    in later. kind: prefill, or refresh (the review page's « mettre à jour »). modality: the service's unless
    given (a counter filing calls with the identity the agent checked: identite)."""
    config = settings()
    chosen = procedure.chosen(sources) if accepted else ()
    consent = ConsentRecord(
        citizen_id=citizen_id, citizen_key=citizen_key, procedure=procedure.slug,
        text_version=procedure.consent.version,
        categories=procedure.categories(chosen),
        decision="accepted" if accepted else "refused",
        modality=(modality or config.modality) if accepted else "none",
        recipient=config.recipient, outcome="pending" if accepted else "not_called",
        sources=[s.key for s in chosen], kind=kind,
    )
    db.session.add(consent)
    db.session.commit()
    if not accepted:
        signals.consent_recorded.send(consent)
    return consent


def fetch(procedure: Procedure, consent: ConsentRecord, *, fc_token: str | None,
          identity: PivotIdentity) -> dict[str, SourceResult]:
    """Ask every chosen source's provider at once (the slowest provider sets the time); never raises."""
    chosen = procedure.chosen(consent.sources)
    credential = {"fc_access_token": fc_token} if fc_token else {"identity": identity}
    clients = providers.clients()
    dgfip = clients.impot_particulier if any(s.dgfip for s in chosen) else None
    return fetch_sources([s.request for s in chosen], api_particulier_client=clients.api_particulier,
                         impot_particulier_client=dgfip, **credential)


def prefill(procedure: Procedure, consent: ConsentRecord, *, fc_token: str | None,
            identity: PivotIdentity, draft: Prefill | None = None,
            results: dict[str, SourceResult] | None = None) -> Prefill:
    """Keep a draft of what the chosen sources gave (fetched now unless `results` are given) and passed the
    same-person check; with `draft`, refresh that draft instead (refresh.py's rules)."""
    from demarche.journey.refresh import refreshed

    chosen = procedure.chosen(consent.sources)
    if results is None:
        results = fetch(procedure, consent, fc_token=fc_token, identity=identity)
    certified, failures = {}, {}
    for source in chosen:
        result = results[source.key]
        signals.provider_answered.send(source.key, result=result)
        kind = _unusable(source, result, identity)
        if kind:
            failures[source.key] = kind.value
            log.info("prefill source not used", extra={"context": {
                "source": source.key, "kind": kind.value, "request_id": result.request_id}})
        else:
            certified[source.key] = snapshot(source, result, consent.modality)
    consent.outcome = _outcome(certified, failures)
    consent.outcome_at = utcnow()
    signals.consent_recorded.send(consent)
    if draft is not None:
        return refreshed(draft, consent, certified, failures)
    return new_draft(procedure, consent, certified=certified, failures=failures)


def unreachable(sources: tuple[DataSource, ...]) -> bool:
    """Every chosen source's provider has its circuit open (demarche/resilience): its calls would be refused
    at once, so the FranceConnect round trip for the data would bring nothing back. During an outage the
    citizen goes straight to the form instead, and the service spares that round trip's work."""
    return bool(sources) and all(_circuit_open("impot_particulier" if s.dgfip else "api_particulier")
                                 for s in sources)


def _circuit_open(provider: str) -> bool:
    guard = resilience.guard_for(provider)
    return guard is not None and guard.breaker.state() == "open"


def without_calls(procedure: Procedure, consent: ConsentRecord, draft: Prefill | None = None,
                  kind: FailureKind = FailureKind.UNAVAILABLE, why: str = "circuits open") -> Prefill:
    """What prefill() would give when every provider's circuit is open (or the citizen could not wait), without
    asking FranceConnect for a token: each chosen source failed with `kind`, the form to fill in (or the draft
    kept as it was)."""
    from demarche.journey.refresh import refreshed

    failures = {source.key: kind.value for source in procedure.chosen(consent.sources)}
    log.info(f"prefill skipped: {why}", extra={"context": {"sources": sorted(failures)}})
    consent.outcome, consent.outcome_at = _outcome({}, failures), utcnow()
    signals.consent_recorded.send(consent)
    if draft is not None:
        return refreshed(draft, consent, {}, failures)
    return new_draft(procedure, consent, failures=failures)


def _unusable(source: DataSource, result: SourceResult, identity: PivotIdentity) -> FailureKind | None:
    """Why the result is not used: the provider's failure (a « not found » the source takes as its answer is
    none: DataSource.not_found), or an answer about someone else (the check)."""
    if result.failure:
        return None if source.optional and result.failure is FailureKind.NOT_FOUND else result.failure
    if source.check and not source.check(result.value, identity):
        return FailureKind.MISMATCH  # not kept anywhere: neither in the draft nor in the dossier
    return None


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
