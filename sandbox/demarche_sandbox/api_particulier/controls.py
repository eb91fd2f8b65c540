"""In-memory state of the API Particulier simulator and its test controls under /_sim/ (failures, latency,
request log: sandbox/demarche_sandbox/controls.py); one process only, threads are fine.
"""

from __future__ import annotations

from collections import deque

from demarche_sandbox.controls import ControlledState, Failure, controls_blueprint

FAILURES = ("409", "429", "502", "503", "504", "timeout")


class SimState(ControlledState):
    """Everything the simulator remembers; guarded by one lock."""

    def __init__(self, config: dict):
        self.config = config
        super().__init__(config["AP_SIM_FAILURE"], config["AP_SIM_LATENCY_MS"])

    def reset(self) -> None:
        """Back to the configuration: failure, latency, request log and rate-limit windows."""
        with self.lock:
            super().reset()
            self.windows: dict[str, tuple[float, int]] = {}  # token digest → (window start, count)
            self.recent: dict[str, deque[float]] = {}  # token digest → times of its calls in the last second

    def count_request(self, key: str, now: float, limit: int) -> tuple[int, float]:
        """Count one request in the caller's 1-minute window: (remaining, window end)."""
        with self.lock:
            start, count = self.windows.get(key, (now, 0))
            if now >= start + 60:
                start, count = now, 0
            self.windows[key] = (start, count + 1)
            return limit - count - 1, start + 60

    def within_second(self, key: str, now: float, limit: int) -> bool:
        """Count one request; False when it makes more than `limit` in the last second (any second, not a
        window aligned on the clock: the strictest reading of « 20 requêtes/secondes »)."""
        with self.lock:
            times = self.recent.setdefault(key, deque())
            while times and times[0] <= now - 1:
                times.popleft()
            times.append(now)
            return len(times) <= limit


def _failure(body: dict, status: str, count: int | None, retry_after: int | None) -> Failure:
    """{"status": 502|503|504|429|409|"timeout", "route": "/v3/dss", "count": 1, "retry_after": 60}"""
    return Failure(status, str(body.get("route") or ""), count, retry_after)


controls = controls_blueprint("ap_sim_controls", "ap_sim", FAILURES, _failure)
