"""What the waiting page knows of a prefill job besides the database: « done » as soon as the job commits, and
when a job refused by the provider's quota will try again. Kept in the resilience store (Redis when REDIS_URL
is set, shared with the task workers; else this process, where the embedded worker runs), with an expiry."""

from __future__ import annotations

import time

from flask import current_app

from demarche.resilience import guard_for

KEEP_MS = 15 * 60 * 1000  # longer than any wait: the page reads it within seconds


def _store():
    return current_app.extensions["resilience"].store


def _key(consent_id: int, what: str) -> str:
    return f"prefill:{consent_id}:{what}"


def mark_done(consent_id: int) -> None:
    store = _store()
    store.put(_key(consent_id, "done"), "1", KEEP_MS)
    store.notify(_key(consent_id, "done"), KEEP_MS)  # wakes a status request waiting for it, in any process


def mark_retry(consent_id: int, delay: float) -> None:
    """The job will try again in `delay` seconds (the provider's quota, or its Retry-After)."""
    _store().put(_key(consent_id, "retry"), f"{time.time() + delay:.3f}", KEEP_MS)


def mark_queued(consent_id: int, ttl_ms: int) -> None:
    """The job is in the queue. The marker lives in the same Redis as the queue (REDIS_URL): a restart that
    keeps the queue keeps it, one that loses the queue (no persistence) loses it too."""
    _store().put(_key(consent_id, "queued"), "1", ttl_ms)


def lost_with_the_queue(consent_id: int) -> bool:
    """Redis answers without the job's marker: it lost its data since the job was queued, and the job with it.
    False without Redis, and while Redis does not answer (nothing is known then)."""
    return _store().gone_from_shared(_key(consent_id, "queued"))


def is_done(consent_id: int) -> bool:
    return _store().get_many(_key(consent_id, "done"))[0] is not None


def wait_done(consent_id: int, seconds: float) -> bool:
    """Whether the job ended within `seconds`: the store wakes this thread when the job marks it done (Redis's
    BLPOP, or a condition in this process), so a waiting page costs no CPU and learns it at once. No database
    connection is held meanwhile."""
    if is_done(consent_id):
        return True
    _store().wait(_key(consent_id, "done"), seconds)
    return is_done(consent_id)


def seconds_to_wait(consent_id: int, ahead: int) -> float:
    """An honest estimate: the job's next try, or the families ahead in the queue at the pace the quota
    allows, whichever is later."""
    retry = _store().get_many(_key(consent_id, "retry"))[0]
    retry_in = float(retry) - time.time() if retry else 0.0
    guard = guard_for("api_particulier")
    rate = guard.quota.pacer.sustained_rate() if guard is not None and guard.quota is not None else 0.0
    queued = ahead / rate if rate else 0.0
    return max(0.0, retry_in, queued)
