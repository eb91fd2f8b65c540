"""A provider's quota per token, shared by every process and instance, and its 429 pauses.

API Particulier allows 20 calls per second per token, all routes together, and asks clients to honour
429 answers (https://particulier.api.gouv.fr/developpeurs#respecter-la-volumetrie). The count is a
moving window from the `limits` library (the one Flask-Limiter uses) on Redis or in memory: a moving
window never lets more than the limit through in ANY interval of the window's length, so it also
holds against the provider's own window, whatever its alignment. After a 429 every instance waits
the Retry-After (or RateLimit-Reset) through a shared pause key.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from demarche.resilience.errors import QuotaExceeded
from demarche.resilience.store import Store

log = logging.getLogger("demarche.resilience")
_UNITS = {"s": "second", "sec": "second", "m": "minute", "min": "minute", "h": "hour"}
UNIX_TIME_THRESHOLD = 1_000_000_000  # RateLimit-Reset above this is a date (Unix time), else seconds


def parse_rate(text: str) -> RateLimitItem:
    """« 20/s », « 20/second », « 1200 per minute » → a limits item; ValueError when unreadable."""
    count, _, unit = text.strip().partition("/")
    return parse(f"{count.strip()}/{_UNITS.get(unit.strip(), unit.strip())}" if unit else text)


def token_key(token: str) -> str:
    """The quota's identifier: a digest, so no token is ever written to Redis or to a log."""
    return hashlib.sha256(token.encode()).hexdigest()[:24]


class Quota:
    """`rate` per token for one provider; `acquire` waits at most `max_wait` seconds, else QuotaExceeded."""

    def __init__(self, provider: str, rate: RateLimitItem, store: Store, limits_storage: Storage, max_wait: float):
        self.provider, self.rate, self.store, self.max_wait = provider, rate, store, max_wait
        self._limiter = MovingWindowRateLimiter(limits_storage)
        self._fallback = MovingWindowRateLimiter(MemoryStorage())

    def _pause_key(self, key: str) -> str:
        return f"quota:{self.provider}:{key}:pause"

    def acquire(self, key: str) -> None:
        """Take one call from the quota, sleeping (bounded) until the window or a 429 pause allows it."""
        deadline = time.monotonic() + self.max_wait
        while True:
            wait = self.store.ttl_ms(self._pause_key(key)) / 1000
            if wait <= 0:
                if self._hit(key):
                    return
                wait = max(0.01, self._reset_in(key))
            if time.monotonic() + wait > deadline:
                raise QuotaExceeded(self.provider, retry_in=wait)
            time.sleep(wait)

    def _hit(self, key: str) -> bool:
        try:
            return self._limiter.hit(self.rate, self.provider, key)
        except Exception:  # noqa: BLE001 - Redis down: count in this process rather than fail every call
            log.warning("quota storage unavailable, counting in this process")
            return self._fallback.hit(self.rate, self.provider, key)

    def _reset_in(self, key: str) -> float:
        try:
            stats = self._limiter.get_window_stats(self.rate, self.provider, key)
        except Exception:  # noqa: BLE001
            stats = self._fallback.get_window_stats(self.rate, self.provider, key)
        return stats.reset_time - time.time()

    def pause(self, key: str, seconds: float) -> None:
        """The provider said 429: nobody calls it with this token for `seconds` (only ever lengthened)."""
        if seconds > self.store.ttl_ms(self._pause_key(key)) / 1000:
            self.store.put(self._pause_key(key), "1", round(seconds * 1000))
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


def limits_storage(redis_url: str, prefix: str) -> Storage:
    """The limits library's storage: Redis when REDIS_URL is set (shared), else memory."""
    if not redis_url:
        return MemoryStorage()
    return storage_from_string(redis_url, key_prefix=f"{prefix}:limits", socket_timeout=0.25,
                               socket_connect_timeout=0.25)

