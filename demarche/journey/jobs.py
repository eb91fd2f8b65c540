"""The prefill job: the provider calls of a consent, run by the task queue's workers rather than on the web
request (issue 18). The consent page enqueues it and shows the waiting page (waiting.py), which follows it.

A call the provider's quota refuses for longer than the short wait a worker may spend is not lost: the job
asks Huey to run it again later (RetryTask, https://huey.readthedocs.io/en/latest/api.html#RetryTask), until
the citizen's patience runs out; then the manual path, as today. The consent row decides who concludes:
the job and the waiting page's « give up » both change it only while it is still pending.

Nor is a job lost when the database goes away under it (a restart, a failover): its transaction rolls back,
the consent is still pending, and the job runs again a moment later, within the same deadline. Without this
the family waited out its whole patience (two minutes) for the manual path.
"""

from __future__ import annotations

import logging
import time

from flask import current_app
from huey.exceptions import RetryTask
from sqlalchemy import update
from sqlalchemy.exc import OperationalError

from demarche import signals
from demarche.extensions import db
from demarche.journey import progress, services
from demarche.journey.credentials import Credentials, InvalidToken, seal, unseal
from demarche.journey.settings import settings
from demarche.models import ConsentRecord, Prefill, utcnow
from demarche.procedures import PROCEDURES
from demarche.providers.results import FailureKind, SourceResult
from demarche.tasks import enqueue
from demarche.tasks.registry import job

log = logging.getLogger("demarche.journey")
PENDING = "pending"
FC_TOKEN_LIFETIME = 50  # seconds: FranceConnect's access token lives 60 s; keep a margin for the last call
RATE_LIMITED_RETRY = 5.0  # seconds before trying again when the provider said 429 without Retry-After
DATABASE_RETRY = 1.0  # seconds before trying again when the database was unreachable


def start(consent: ConsentRecord, credentials: Credentials, draft: Prefill | None = None) -> bool:
    """Enqueue the prefill of `consent` (committed); False when the broker is unreachable."""
    patience = settings().prefill_patience
    if credentials.fc_token:
        patience = min(patience, FC_TOKEN_LIFETIME)
    db.session.commit()  # hold no transaction while an immediate queue (the tests) runs the job right here
    started = enqueue("prefill", consent.id, seal(credentials), time.time() + patience, draft.id if draft else None,
                      expires=patience)
    if started:
        progress.mark_queued(consent.id, ttl_ms=int((patience + 60) * 1000))  # outlives any wait for the job
        signals.prefill_job.send(consent.id, event="enqueued")
    return started


@job("prefill")
def prefill(consent_id: int, sealed: str, deadline: float, draft_id: int | None = None) -> None:
    """Call the chosen sources' providers and keep the draft; RetryTask when the quota says « later » or the
    database was unreachable."""
    try:
        _prefill(consent_id, sealed, deadline, draft_id)
    except OperationalError as error:  # the queue's wrapper rolls the transaction back
        if time.time() + DATABASE_RETRY >= deadline or _immediate():
            raise
        log.warning("prefill job: database unavailable, run again",
                    extra={"context": {"consent": consent_id, "error": type(error.orig).__name__}})
        raise RetryTask(delay=DATABASE_RETRY) from error


def _prefill(consent_id: int, sealed: str, deadline: float, draft_id: int | None) -> None:
    consent = db.session.get(ConsentRecord, consent_id)
    if consent is None or consent.outcome != PENDING:
        return  # the waiting page gave up on it, or it ran already
    signals.prefill_job.send(consent_id, event="started", waited=_since(consent))
    procedure = PROCEDURES[consent.procedure]
    try:
        credentials = unseal(sealed, max_age=settings().prefill_patience + 60)
    except InvalidToken:  # sealed with a former SECRET_KEY (a restart with a new one): nothing to act with
        log.warning("prefill job credentials unreadable", extra={"context": {"consent": consent_id}})
        return
    results = services.fetch(procedure, consent, fc_token=credentials.fc_token, identity=credentials.identity)
    delay = retry_delay(results.values())
    if delay is not None and time.time() + delay < deadline and not _immediate():
        progress.mark_retry(consent_id, delay)
        signals.prefill_job.send(consent_id, event="retried", delay=delay)
        db.session.rollback()
        raise RetryTask(delay=delay)
    if not claim(consent):
        return
    draft = db.session.get(Prefill, draft_id) if draft_id else None
    services.prefill(procedure, consent, fc_token=credentials.fc_token, identity=credentials.identity,
                     draft=draft, results=results)
    progress.mark_done(consent_id)
    signals.prefill_job.send(consent_id, event="done", waited=_since(consent))


def _since(consent: ConsentRecord) -> float:
    """Seconds since the family consented (the operators' job wait and prefill time, demarche/metrics)."""
    return (utcnow() - consent.created_at).total_seconds()


def _immediate() -> bool:
    """The tests' queue runs each job at once in the caller: a job asked to run later would never run."""
    return current_app.extensions["tasks"].huey.immediate


def retry_delay(results) -> float | None:
    """Seconds to wait before trying again, when a source was refused by the quota or answered 429; else None."""
    delays = [getattr(r.error, "retry_after", None) or RATE_LIMITED_RETRY for r in results
              if isinstance(r, SourceResult) and r.failure == FailureKind.RATE_LIMITED]
    return max(delays) if delays else None


def claim(consent: ConsentRecord) -> bool:
    """Take the consent out of « pending » in the current transaction (committed with what follows); False
    when someone else concluded it. PostgreSQL locks the row until then; SQLite the whole database."""
    taken = db.session.execute(
        update(ConsentRecord).where(ConsentRecord.id == consent.id, ConsentRecord.outcome == PENDING)
        .values(outcome="concluding").execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        db.session.rollback()
        return False
    return True
