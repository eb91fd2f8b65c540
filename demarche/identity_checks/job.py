"""The background call of a declared identity (never on a request thread): API Particulier's identité routes,
through the same client, quota and circuit breakers as the prefill (demarche/providers, demarche/resilience).

Each call is journaled (who, which dossier, which route, what kind of answer); the data goes to the check
for the agents only. An answer about someone else (the démarche's own same-person check) is not kept.
"""

from __future__ import annotations

import logging

from demarche import tasks
from demarche.dossiers import retention
from demarche.dossiers.models import Dossier, DossierEvent
from demarche.extensions import db
from demarche.identity import PivotIdentity
from demarche.identity_checks.models import IdentityCheck, IdentityCheckCall
from demarche.models import utcnow
from demarche.procedures import PROCEDURES
from demarche.procedures.certified import snapshot
from demarche.providers import sources as providers
from demarche.providers.clients import clients
from demarche.providers.results import FailureKind

log = logging.getLogger("demarche.identity_checks")


@tasks.job("identity_check")
def run(check_id: int) -> None:
    """Call every agreed source with the declared identity, keep what came back for the agents."""
    check = db.session.get(IdentityCheck, check_id)
    if check is None or check.status != "requested":
        return
    dossier = db.session.get(Dossier, check.dossier_id)
    procedure = PROCEDURES.get(dossier.procedure)
    identity = PivotIdentity.from_claims(dossier.identity)
    chosen = [s for s in procedure.sources if s.key in check.sources] if procedure else []
    results = providers.fetch([s.request for s in chosen], api_particulier_client=clients().api_particulier,
                              identity=identity)
    kept = {}
    for source in chosen:
        result = results[source.key]
        outcome = _outcome(source, result, identity)
        kept[source.key] = ({"outcome": outcome, **snapshot(source, result, "identite")} if outcome == "found"
                            else {"outcome": outcome})
        db.session.add(IdentityCheckCall(agent=check.requested_by or "", dossier_reference=dossier.reference,
                                         source=source.key, outcome=outcome, request_id=result.request_id))
        log.info("identity check call", extra={"context": {"source": source.key, "outcome": outcome,
                                                            "request_id": result.request_id}})
    unavailable = kept and all(r["outcome"] in ("unavailable", "error", "rate_limited") for r in kept.values())
    check.results, check.answered_at = kept, utcnow()
    check.status = "failed" if unavailable or not kept else "done"
    db.session.add(DossierEvent(dossier_id=dossier.id, actor="service", kind="identity_check_answered"))
    db.session.commit()


def _outcome(source, result, identity: PivotIdentity) -> str:
    if result.failure:
        return result.failure.value
    if source.check and not source.check(result.value, identity):
        return FailureKind.MISMATCH.value
    return "found"


@tasks.relay_source
def stranded(cutoff) -> list[tuple[str, int]]:
    """Checks requested before `cutoff` and still unanswered (a worker died): hand them to the queue again."""
    ids = db.session.scalars(db.select(IdentityCheck.id).where(
        IdentityCheck.status == "requested", IdentityCheck.requested_at < cutoff).limit(100)).all()
    return [("identity_check", check_id) for check_id in ids]


@tasks.purge(order=60)
def forget_old_calls(now) -> dict[str, int]:
    """The calls' journal is kept 36 months (https://particulier.api.gouv.fr/faq), then deleted."""
    from datetime import timedelta

    deleted = db.session.execute(db.delete(IdentityCheckCall).where(
        IdentityCheckCall.at < now - timedelta(days=36 * 31))).rowcount
    db.session.commit()
    return {"journal des vérifications d’identité": deleted}


@retention.attached
def forget_checks(dossier_ids: list[int]) -> dict[str, int]:
    """A purged dossier's check goes with it, and with it what the providers answered (its journal stays)."""
    deleted = db.session.execute(db.delete(IdentityCheck).where(IdentityCheck.dossier_id.in_(dossier_ids))
                                 .execution_options(synchronize_session=False)).rowcount
    return {"vérifications d’identité": deleted}
