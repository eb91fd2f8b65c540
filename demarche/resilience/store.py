"""Shared state of the resilience guards: Redis when REDIS_URL is set (every instance sees it), else in-process.

Only a few primitives with expiries are needed (get, set with NX, counters, TTL): both stores give the
same answers, so the breaker and the quota pause read the same on a laptop and on ten instances.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Protocol

log = logging.getLogger("demarche.resilience")


class Store(Protocol):
    """Keys with an expiry, in milliseconds."""

    def get_many(self, *keys: str) -> list[str | None]: ...

    def put(self, key: str, value: str, ttl_ms: int, *, only_if_absent: bool = False) -> bool: ...

    def count(self, key: str, ttl_ms: int) -> int: ...

    def remove(self, *keys: str) -> None: ...

    def ttl_ms(self, key: str) -> int: ...

    def notify(self, key: str, ttl_ms: int) -> None: ...

    def wait(self, key: str, seconds: float) -> None: ...

    def gone_from_shared(self, key: str) -> bool: ...


class MemoryStore:
    """One process's store: a dict of (value, monotonic deadline) under a lock."""

    def __init__(self) -> None:
        self._items: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()
        self._notified = threading.Condition(self._lock)

    def _live(self, key: str) -> tuple[str, float] | None:
        item = self._items.get(key)
        if item is not None and item[1] <= time.monotonic():
            del self._items[key]
            return None
        return item

    def get_many(self, *keys: str) -> list[str | None]:
        with self._lock:
            return [item[0] if (item := self._live(key)) else None for key in keys]

    def put(self, key: str, value: str, ttl_ms: int, *, only_if_absent: bool = False) -> bool:
        with self._lock:
            if only_if_absent and self._live(key) is not None:
                return False
            self._items[key] = (value, time.monotonic() + ttl_ms / 1000)
            return True

    def count(self, key: str, ttl_ms: int) -> int:
        """Add one; the first count starts the expiry (a fixed window of ttl_ms)."""
        with self._lock:
            item = self._live(key)
            value = int(item[0]) + 1 if item else 1
            self._items[key] = (str(value), item[1] if item else time.monotonic() + ttl_ms / 1000)
            return value

    def remove(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._items.pop(key, None)

    def ttl_ms(self, key: str) -> int:
        with self._lock:
            item = self._live(key)
            return max(0, round((item[1] - time.monotonic()) * 1000)) if item else 0

    def notify(self, key: str, ttl_ms: int) -> None:
        """Wake whoever waits on `key` (or the next to wait, within ttl_ms)."""
        with self._lock:
            self._items[f"{key}:notified"] = ("1", time.monotonic() + ttl_ms / 1000)
            self._notified.notify_all()

    def wait(self, key: str, seconds: float) -> None:
        """Until `key` is notified, at most `seconds`; without spinning."""
        with self._lock:
            self._notified.wait_for(lambda: self._live(f"{key}:notified") is not None, timeout=seconds)

    def gone_from_shared(self, key: str) -> bool:
        """Nothing here is shared with other processes: never known to be gone."""
        return False


MAX_WAIT = 5.0  # seconds a wait() may last at most
_BLOCKING_MARGIN = 1.0  # seconds a blocking read may outlast its own timeout before the socket gives up

# INCR then PEXPIRE on the first count, atomically: two instances failing together start one window.
_COUNT = "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n"


class RedisStore:
    """The same primitives on Redis; every key is under `prefix:` (tests use one prefix each). `blocking` is a
    client whose timeouts outlast a wait (BLPOP holds its connection); by default a copy of `client`'s pool
    settings with a longer read timeout."""

    def __init__(self, client, prefix: str, blocking=None):
        self.client = client
        self.prefix = prefix
        self._count = client.register_script(_COUNT)
        self._blocking = blocking

    def _k(self, key: str) -> str:
        return f"{self.prefix}:{key}"

    def get_many(self, *keys: str) -> list[str | None]:
        return [v.decode() if isinstance(v, bytes) else v for v in self.client.mget([self._k(k) for k in keys])]

    def put(self, key: str, value: str, ttl_ms: int, *, only_if_absent: bool = False) -> bool:
        return bool(self.client.set(self._k(key), value, px=max(1, ttl_ms), nx=only_if_absent))

    def count(self, key: str, ttl_ms: int) -> int:
        return int(self._count(keys=[self._k(key)], args=[max(1, ttl_ms)]))

    def remove(self, *keys: str) -> None:
        self.client.delete(*[self._k(k) for k in keys])

    def ttl_ms(self, key: str) -> int:
        return max(0, int(self.client.pttl(self._k(key))))

    def notify(self, key: str, ttl_ms: int) -> None:
        """One element on a list that BLPOP waits on, expiring with the key (nobody may be waiting)."""
        pipe = self.client.pipeline()
        pipe.rpush(self._k(f"{key}:notified"), "1")
        pipe.pexpire(self._k(f"{key}:notified"), max(1, ttl_ms))
        pipe.execute()

    def wait(self, key: str, seconds: float) -> None:
        """BLPOP: Redis answers the moment another process notifies, with no polling (one connection held)."""
        if self._blocking is None:
            import redis

            kwargs = self.client.connection_pool.connection_kwargs
            self._blocking = redis.Redis(connection_pool=redis.ConnectionPool(
                connection_class=self.client.connection_pool.connection_class,
                **{**kwargs, "socket_timeout": MAX_WAIT + _BLOCKING_MARGIN}))
        self._blocking.blpop([self._k(f"{key}:notified")], timeout=min(MAX_WAIT, max(0.01, seconds)))

    def gone_from_shared(self, key: str) -> bool:
        """Redis answers that `key` is not there (expired, deleted, or Redis restarted without its data)."""
        return self.client.exists(self._k(key)) == 0


class FallbackStore:
    """Redis, and this process's memory while Redis does not answer: a Redis outage must not become ours."""

    def __init__(self, primary: RedisStore, errors: tuple[type[BaseException], ...]):
        self.primary, self.backup, self.errors = primary, MemoryStore(), errors
        self._warned_at = 0.0

    def _do(self, name: str, *args, **kwargs):
        try:
            return getattr(self.primary, name)(*args, **kwargs)
        except self.errors as error:
            if time.monotonic() - self._warned_at > 30:  # one line per 30 s, not one per call
                self._warned_at = time.monotonic()
                log.warning("redis unavailable, resilience state kept in this process",
                            extra={"context": {"error": type(error).__name__}})
            return getattr(self.backup, name)(*args, **kwargs)

    def get_many(self, *keys: str) -> list[str | None]:
        return self._do("get_many", *keys)

    def put(self, key: str, value: str, ttl_ms: int, *, only_if_absent: bool = False) -> bool:
        return self._do("put", key, value, ttl_ms, only_if_absent=only_if_absent)

    def count(self, key: str, ttl_ms: int) -> int:
        return self._do("count", key, ttl_ms)

    def remove(self, *keys: str) -> None:
        self._do("remove", *keys)

    def ttl_ms(self, key: str) -> int:
        return self._do("ttl_ms", key)

    def notify(self, key: str, ttl_ms: int) -> None:
        self._do("notify", key, ttl_ms)

    def wait(self, key: str, seconds: float) -> None:
        """Redis's wait; if Redis fails meanwhile, this process's for what remains (never a busy loop)."""
        deadline = time.monotonic() + seconds
        try:
            self.primary.wait(key, seconds)
        except self.errors:
            self.backup.wait(key, max(0.0, deadline - time.monotonic()))

    def gone_from_shared(self, key: str) -> bool:
        """Only Redis can say a key is gone: while it does not answer, nothing is known (this process's memory
        never held what other processes wrote)."""
        try:
            return self.primary.gone_from_shared(key)
        except self.errors:
            return False


def redis_client(url: str):
    """A redis-py client with short timeouts: a slow Redis must cost milliseconds, not the request."""
    import redis

    return redis.Redis.from_url(url, socket_timeout=0.25, socket_connect_timeout=0.25, health_check_interval=30)


def open_store(redis_url: str, prefix: str) -> Store:
    """The shared store when REDIS_URL is set, else this process's memory."""
    if not redis_url:
        return MemoryStore()
    import redis

    return FallbackStore(RedisStore(redis_client(redis_url), prefix), (redis.RedisError, OSError))
