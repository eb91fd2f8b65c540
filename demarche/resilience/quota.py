"""A provider's quota: a bounded wait for the pacer's turn (pacer.py), and its 429 pauses.

API Particulier allows 20 calls per second per token and 1,000 per minute per IP, and asks clients to honour
429 answers (https://particulier.api.gouv.fr/developpeurs#respecter-la-volumetrie). A call waits for its
turn at most `max_wait` seconds, else QuotaExceeded says when to try again: a queued job is then
re-scheduled by the queue (demarche/journey/jobs.py) rather than holding a worker thread.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime

from demarche.config.checks import parse_rate
from demarche.resilience.errors import QuotaExceeded
from demarche.resilience.pacer import Limit, Pacer

log = logging.getLogger("demarche.resilience")
UNIX_TIME_THRESHOLD = 1_000_000_000  # RateLimit-Reset above this is a date (Unix time), else seconds


def limit(scope: str, text: str) -> Limit:
    """A pacer limit from a setting such as « 20/second » or « 1000/minute »."""
    item = parse_rate(text)
    return Limit(scope, item.amount, float(item.get_expiry()))


def token_key(token: str) -> str:
    """The quota's identifier: a digest, so no token is ever written to Redis or to a log."""
    return hashlib.sha256(token.encode()).hexdigest()[:24]


class Quota:
    """One provider's limits; `acquire` waits at most `max_wait` seconds for a turn, else QuotaExceeded."""

    def __init__(self, provider: str, pacer: Pacer, max_wait: float):
        self.provider, self.pacer, self.max_wait = provider, pacer, max_wait

    def acquire(self, key: str) -> None:
        """Take one call from every limit, sleeping (bounded) until the pacer or a 429 pause allows it."""
        deadline = time.monotonic() + self.max_wait
        while True:
            turn = self.pacer.take(key)
            if turn.allowed:
                return
            wait = max(0.001, turn.wait)
            if time.monotonic() + wait > deadline:
                raise QuotaExceeded(self.provider, retry_in=wait)
            time.sleep(wait)

    def pause(self, key: str, seconds: float) -> None:
        """The provider said 429: nobody calls it for `seconds`, whatever the token (the 429 may be the
        per-IP ceiling's, which every token shares)."""
        self.pacer.pause(seconds)
        log.warning("provider quota reached, calls paused",
                    extra={"context": {"provider": self.provider, "seconds": round(seconds, 1)}})


def retry_after_seconds(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """How long to wait after a 429: Retry-After (seconds or HTTP date, RFC 9110), else RateLimit-Reset
    (seconds, as the IETF draft says, or a Unix time, as API Particulier sends it)."""
    now = time.time() if now is None else now
    value = (headers.get("Retry-After") or "").strip()
    if value.isdigit():
        return float(value)
    if value:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - now)
        except (TypeError, ValueError):
            pass
    return rate_limit_reset_seconds(headers, now)


def rate_limit_reset_seconds(headers: Mapping[str, str], now: float | None = None) -> float | None:
    value = (headers.get("RateLimit-Reset") or "").strip()
    if not value.isdigit():
        return None
    number, now = float(value), time.time() if now is None else now
    return max(0.0, number - now) if number >= UNIX_TIME_THRESHOLD else number
