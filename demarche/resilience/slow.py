"""Slow calls count against a provider's circuit, and as soon as anyone notices, not when they end.

A provider that hangs gives no failure until each call's timeout (5 s for API Particulier): meanwhile
every arriving citizen is sent to it. Here a call in flight for longer than `threshold` seconds counts
as one failure the moment any later call to the same provider starts (or when it ends, if nobody
noticed), so the circuit opens `threshold` seconds into a hang. Same idea as resilience4j's
slowCallDurationThreshold (https://resilience4j.readme.io/docs/circuitbreaker), without waiting for
the slow call to finish.
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass


@dataclass
class _InFlight:
    started: float
    trial: bool
    counted: bool = False


class SlowCalls:
    """The calls of one provider in flight in this process; each slow one is reported once."""

    def __init__(self, threshold: float):
        self.threshold = threshold
        self._calls: dict[int, _InFlight] = {}
        self._ids = itertools.count()
        self._lock = threading.Lock()

    def begin(self, trial: bool) -> int:
        with self._lock:
            ticket = next(self._ids)
            self._calls[ticket] = _InFlight(time.monotonic(), trial)
            return ticket

    def overdue(self) -> list[bool]:
        """The calls that just became slow (each reported once): their `trial` flags."""
        limit = time.monotonic() - self.threshold
        with self._lock:
            late = [call for call in self._calls.values() if not call.counted and call.started < limit]
            for call in late:
                call.counted = True
            return [call.trial for call in late]

    def end(self, ticket: int) -> tuple[bool, bool]:
        """(slow, already reported) for the call that just ended."""
        with self._lock:
            call = self._calls.pop(ticket)
        return call.counted or time.monotonic() - call.started > self.threshold, call.counted
