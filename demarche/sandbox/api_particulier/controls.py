"""In-memory state of the API Particulier simulator and its test controls under /_sim/ (failures, latency,
request log); one process only, threads are fine.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass

from flask import Blueprint, current_app, jsonify, request

FAILURES = ("409", "429", "502", "503", "504", "timeout")


@dataclass
class Failure:
    """An injected failure: on paths starting with `route`, `remaining` more times (None: until cleared)."""

    status: str  # one of FAILURES
    route: str = ""
    remaining: int | None = None
    retry_after: int = 60  # seconds, sent with 429


class SimState:
    """Everything the simulator remembers; guarded by one lock."""

    def __init__(self, config: dict):
        self.config = config
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            default = self.config["AP_SIM_FAILURE"]
            self.failure: Failure | None = Failure(default) if default else None
            self.latency_ms: int = self.config["AP_SIM_LATENCY_MS"]
            self.requests: deque[dict] = deque(maxlen=1000)
            self.windows: dict[str, tuple[float, int]] = {}  # token digest → (window start, count)

    def take_failure(self, path: str, statuses: tuple[str, ...]) -> Failure | None:
        """The failure to apply to this request, if any, counting it down."""
        with self.lock:
            failure = self.failure
            if failure is None or failure.status not in statuses or not path.startswith(failure.route):
                return None
            if failure.remaining is not None:
                failure.remaining -= 1
                if failure.remaining <= 0:
                    self.failure = None
            return failure

    def count_request(self, key: str, now: float, limit: int) -> tuple[int, float]:
        """Count one request in the caller's 1-minute window: (remaining, window end)."""
        with self.lock:
            start, count = self.windows.get(key, (now, 0))
            if now >= start + 60:
                start, count = now, 0
            self.windows[key] = (start, count + 1)
            return limit - count - 1, start + 60


controls = Blueprint("ap_sim_controls", __name__, url_prefix="/_sim")


def _state() -> SimState:
    return current_app.extensions["ap_sim"]


def _refuse(message: str):
    return jsonify({"erreur": message}), 400


def _whole(value, name: str, minimum: int = 0) -> int | None:
    """An integer ≥ minimum from a JSON body, or None when absent."""
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"« {name} » doit être un entier supérieur ou égal à {minimum}")
    return value


@controls.post("/failure")
def set_failure():
    """{"status": 502|503|504|429|409|"timeout"|null, "route": "/v3/dss", "count": 1, "retry_after": 60}"""
    body = request.get_json(silent=True) or {}
    status = body.get("status")
    if status is None:
        with _state().lock:
            _state().failure = None
        return jsonify({"failure": None})
    if str(status) not in FAILURES:
        return _refuse(f"« status » doit valoir l'une de ces valeurs : {', '.join(FAILURES)}, ou null")
    try:
        count = _whole(body.get("count"), "count", minimum=1)
        retry_after = _whole(body.get("retry_after", 60), "retry_after")
    except ValueError as exc:
        return _refuse(str(exc))
    failure = Failure(str(status), str(body.get("route") or ""), count, retry_after)
    with _state().lock:
        _state().failure = failure
    return jsonify({"failure": failure.__dict__})


@controls.post("/latency")
def set_latency():
    """{"ms": 300}: added to every /v3 answer."""
    try:
        ms = _whole((request.get_json(silent=True) or {}).get("ms"), "ms")
    except ValueError as exc:
        return _refuse(str(exc))
    if ms is None:
        return _refuse("« ms » est obligatoire")
    _state().latency_ms = ms
    return jsonify({"ms": ms})


@controls.get("/requests")
def list_requests():
    """[{method, path, status, time, duration_ms}], oldest first; path without its query string."""
    with _state().lock:
        return jsonify(list(_state().requests))


@controls.delete("/requests")
def clear_requests():
    with _state().lock:
        _state().requests.clear()
    return "", 204


@controls.post("/reset")
def reset():
    """Back to the configuration: failure, latency, request log and rate-limit windows."""
    _state().reset()
    return "", 204
