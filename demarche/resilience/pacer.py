"""One pacer per provider: every call takes its turn in each of the provider's limits, across processes and
instances, and a 429 pauses them all. It fails closed: without an answer from Redis, a process calls at its own
small local share, never faster.

API Particulier allows 20 calls/s per token and 1,000 calls/min per IP, all tokens together; ignoring a 429 or
exceeding the per-IP ceiling bans the IP for 12 hours
(https://particulier.api.gouv.fr/developpeurs#respecter-la-volumetrie).

Algorithm: GCRA (the "generic cell rate algorithm", as in redis-cell, https://github.com/brandur/redis-cell)
with no burst: calls of one limit are spaced by period/limit, so no window of the period's length, however
aligned, holds more than the limit. One Lua script checks the pause and every limit and books the call
atomically, on Redis' own clock (`TIME`), so the instances' clocks need not agree
(https://redis.io/docs/latest/develop/programmability/eval-intro/).

Budget: Redis paces `margin` of each limit (0.8: 16/s and 800/min); the rest is split between the processes
that may call (`callers`) for when Redis does not answer in time. A process cut off from Redis while the
others still reach it (the case of a Redis slowed by busy cores) then adds at most its share: the sum of all
calls stays under the provider's limit in every mixed state.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass

from demarche import signals

log = logging.getLogger("demarche.resilience")
REDIS_RETRY_AFTER = 1.0  # seconds a process paces alone after a Redis error before asking Redis again

# KEYS[1] the pause, KEYS[2..] one TAT ("theoretical arrival time", µs) per limit; ARGV: each limit's spacing (µs).
# Returns {1, 0, 0} when the call is booked, else {0, µs to wait, 1 if paused after a 429}; nothing is booked
# unless every limit allows it.
_GCRA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local paused = redis.call('PTTL', KEYS[1])
if paused > 0 then return {0, paused * 1000, 1} end
local wait, tats = 0, {}
for i = 2, #KEYS do
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0')
  if tat < now then tat = now end
  if tat - now > wait then wait = tat - now end
  tats[i] = tat + tonumber(ARGV[i - 1])
end
if wait > 0 then return {0, wait, 0} end
for i = 2, #KEYS do
  redis.call('SET', KEYS[i], string.format('%.0f', tats[i]), 'PX', math.ceil((tats[i] - now) / 1000) + 1)
end
return {1, 0, 0}
"""


@dataclass(frozen=True)
class Limit:
    """`amount` calls per `period` seconds, counted per `scope` ("token": each token; "ip": all calls)."""

    scope: str
    amount: int
    period: float

    def spacing(self, share: float) -> float:
        """Seconds between two calls when `share` of the limit is used (share ≤ 1)."""
        return self.period / max(self.amount * share, 1e-9)


@dataclass(frozen=True)
class Turn:
    """The pacer's answer: the call may go now, or `wait` seconds later; `shared` False when Redis did not answer."""

    allowed: bool
    wait: float
    shared: bool = True


class LocalPacer:
    """The same GCRA in this process's memory, on the monotonic clock; also remembers the pauses it learnt."""

    def __init__(self) -> None:
        self._tats: dict[str, float] = {}
        self._paused_until = 0.0
        self._lock = threading.Lock()

    def take(self, keys: list[str], spacings: list[float]) -> Turn:
        with self._lock:
            now = time.monotonic()
            if self._paused_until > now:
                return Turn(False, self._paused_until - now, shared=False)
            tats = [max(self._tats.get(key, now), now) for key in keys]
            wait = max((tat - now for tat in tats), default=0.0)
            if wait > 0:
                return Turn(False, wait, shared=False)
            for key, tat, spacing in zip(keys, tats, spacings, strict=True):
                self._tats[key] = tat + spacing
            if len(self._tats) > 4096:  # one entry per FranceConnect token seen: forget the idle ones
                self._tats = {k: v for k, v in self._tats.items() if v > now}
            return Turn(True, 0.0, shared=False)

    def pause(self, seconds: float) -> None:
        with self._lock:
            self._paused_until = max(self._paused_until, time.monotonic() + seconds)


class Pacer:
    """The limits of one provider; `take(token)` books a call or says how long to wait."""

    def __init__(self, provider: str, limits: list[Limit], *, client=None, prefix: str = "demarche",
                 margin: float = 0.8, callers: int = 1):
        self.provider, self.limits, self.client = provider, limits, client
        self.prefix, self.margin, self.callers = prefix, margin, max(1, callers)
        self.local = LocalPacer()
        self._script = client.register_script(_GCRA) if client is not None else None
        self._redis_down_until = 0.0
        self._warned_at = 0.0

    def _keys(self, token: str) -> list[str]:
        base = f"{self.prefix}:pacer:{self.provider}"
        return [f"{base}:{limit.scope}" + (f":{token}" if limit.scope == "token" else "") for limit in self.limits]

    @property
    def pause_key(self) -> str:
        return f"{self.prefix}:pacer:{self.provider}:pause"

    def local_share(self) -> float:
        """The share of each limit one process may use alone. Without Redis at all (the demo, or gunicorn
        workers each with an embedded queue): its part of the margin; with Redis, its part of what Redis'
        share leaves, for when Redis does not answer."""
        return (self.margin if self._script is None else 1 - self.margin) / self.callers

    def sustained_rate(self) -> float:
        """Calls per second this pacer lets through for one token in the long run (shared share)."""
        return min(limit.amount * self.margin / limit.period for limit in self.limits)

    def take(self, token: str) -> Turn:
        """Book a call under every limit now, or say how long to wait (nothing booked then)."""
        turn = self._take(token)
        signals.pacer_turn.send(self.provider, allowed=turn.allowed, wait=turn.wait, shared=turn.shared)
        return turn

    def _take(self, token: str) -> Turn:
        keys = self._keys(token)
        if self._script is not None and time.monotonic() >= self._redis_down_until:
            try:
                spacings_us = [math.ceil(lim.spacing(self.margin) * 1e6) for lim in self.limits]
                allowed, wait_us, paused = self._script(keys=[self.pause_key, *keys], args=spacings_us)
                if paused:
                    self.local.pause(wait_us / 1e6)  # kept here too, for when Redis stops answering
                return Turn(bool(allowed), wait_us / 1e6)
            except Exception as error:  # noqa: BLE001 - any Redis trouble: pace alone, at the local share
                self._redis_failed(error)
        share = self.local_share()
        return self.local.take([f"local:{key}" for key in keys], [lim.spacing(share) for lim in self.limits])

    def pause(self, seconds: float) -> None:
        """A 429: nobody calls this provider for `seconds` (only ever lengthened), in this process at least."""
        self.local.pause(seconds)
        signals.provider_paused.send(self.provider, seconds=seconds)
        if self._script is None:
            return
        try:
            ttl = self.client.pttl(self.pause_key)
            if seconds * 1000 > ttl:
                self.client.set(self.pause_key, "1", px=max(1, round(seconds * 1000)))
        except Exception as error:  # noqa: BLE001 - the local pause holds this process meanwhile
            self._redis_failed(error)

    def _redis_failed(self, error: BaseException) -> None:
        self._redis_down_until = time.monotonic() + REDIS_RETRY_AFTER
        if time.monotonic() - self._warned_at > 30:  # one line per 30 s, not one per call
            self._warned_at = time.monotonic()
            log.warning("pacer storage unavailable, pacing at this process's local share",
                        extra={"context": {"provider": self.provider, "error": type(error).__name__,
                                           "share": round(self.local_share(), 3)}})
