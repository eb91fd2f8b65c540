"""The operators' metrics (definitions.py): filled from the signals the service already sends
(demarche/signals.py), the connection pools' events, and a sampler of the queue in the task workers. Served by
gunicorn's master on HEALTH_PORT at /metrics (demarche/health_listener.py), never on the public port."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from flask import Flask
from sqlalchemy import event, func, select
from sqlalchemy.pool import Pool

from demarche import signals
from demarche.metrics import definitions as m
from demarche.tasks.registry import on_worker_start

log = logging.getLogger("demarche.metrics")
SAMPLE_EVERY = 5.0  # seconds between two samples of the queue's depth and the families waiting
_CIRCUIT_VALUES = {"closed": 0, "half_open": 1, "open": 2}
_listening = threading.Lock()
_installed: list[bool] = []


def init_app(app: Flask) -> None:
    """Publish the configured quotas; listen to the signals and the pools once per process."""
    from demarche.resilience.quota import limit

    settings = app.config["SETTINGS"]
    for provider, scope, text in (("api_particulier", "token", settings.api_particulier_rate_limit),
                                  ("api_particulier", "ip", settings.api_particulier_ip_rate_limit),
                                  ("impot_particulier", "ip", settings.impot_particulier_rate_limit)):
        if text:
            quota = limit(scope, text)
            m.PROVIDER_QUOTA.labels(provider, scope).set(quota.amount / quota.period)
    with _listening:
        if not _installed:
            _listen()
            _installed.append(True)


def _listen() -> None:
    signals.provider_call.connect(_provider_call, weak=False)
    signals.pacer_turn.connect(_pacer_turn, weak=False)
    signals.provider_paused.connect(lambda provider, **_: m.PROVIDER_PAUSES.labels(provider).inc(), weak=False)
    signals.circuit_seen.connect(_circuit_seen, weak=False)
    signals.prefill_job.connect(_prefill_job, weak=False)
    event.listen(Pool, "checkout", lambda *_: m.DB_POOL_IN_USE.inc())
    event.listen(Pool, "checkin", lambda *_: m.DB_POOL_IN_USE.dec())


def _provider_call(provider: str, outcome: str, seconds: float | None = None, **_) -> None:
    m.PROVIDER_CALLS.labels(provider, outcome).inc()
    if seconds is not None:
        m.PROVIDER_CALL_SECONDS.labels(provider).observe(seconds)


def _pacer_turn(provider: str, allowed: bool, shared: bool, **_) -> None:
    m.PACER_TURNS.labels(provider, "allowed" if allowed else "wait", "redis" if shared else "local").inc()


def _circuit_seen(provider: str, state: str, **_) -> None:
    m.CIRCUIT_STATE.labels(provider).set(_CIRCUIT_VALUES[state])


def _prefill_job(_consent_id, event: str, waited: float | None = None, **_) -> None:
    m.PREFILL_JOBS.labels(event).inc()
    if waited is not None:
        (m.PREFILL_JOB_WAIT if event == "started" else m.PREFILL_SECONDS).observe(waited)


def count_pool_timeout() -> None:
    m.DB_POOL_TIMEOUTS.inc()


@on_worker_start
def start_sampler(app: Flask) -> threading.Thread:
    """In a process that consumes the queue: every SAMPLE_EVERY s, the queue's depth and the families waiting."""
    thread = threading.Thread(target=_sample_forever, args=(app,), name="metrics-sampler", daemon=True)
    thread.start()
    return thread


def _sample_forever(app: Flask) -> None:
    stopped = app.extensions["tasks"].stopped  # set when this process stops consuming the queue
    while not stopped.is_set():
        try:
            sample(app)
        except Exception as error:  # noqa: BLE001 - a broker or database hiccup: try again at the next tick
            log.info("metrics sample skipped", extra={"context": {"error": type(error).__name__}})
        stopped.wait(SAMPLE_EVERY)


def sample(app: Flask) -> None:
    from demarche.extensions import db
    from demarche.journey.jobs import PENDING
    from demarche.models import ConsentRecord, utcnow

    with app.app_context():
        m.QUEUE_DEPTH.set(app.extensions["tasks"].huey.pending_count())
        # A job expired unrun (its family closed the page) leaves its consent pending: count the recent ones only.
        since = utcnow() - timedelta(seconds=app.config["SETTINGS"].prefill_patience + 60)
        waiting = select(func.count()).select_from(ConsentRecord).where(ConsentRecord.outcome == PENDING,
                                                                        ConsentRecord.created_at > since)
        m.FAMILIES_WAITING.set(db.session.scalar(waiting) or 0)
