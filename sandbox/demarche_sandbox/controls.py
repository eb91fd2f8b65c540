"""The data simulators' shared test controls under /_sim/ (API Particulier, API Impôt particulier): an injected
failure, added latency and the request log, kept in memory behind one lock (one process, threads are fine).

Each simulator subclasses ControlledState for what only it remembers, and adds its own routes to the
blueprint controls_blueprint() returns.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, current_app, g, jsonify, request

REQUEST_LOG = 1000  # entries kept, oldest dropped first


@dataclass
class Failure:
    """An injected failure: on paths starting with `route`, `remaining` more times (None: until cleared)."""

    status: str  # one of the simulator's FAILURES
    route: str = ""
    remaining: int | None = None
    retry_after: int = 60  # seconds, sent with 429 and 503

    def matches(self, path: str, statuses: tuple[str, ...], **_context) -> bool:
        """Whether this request, at a point where `statuses` may happen, gets the failure."""
        return self.status in statuses and path.startswith(self.route)


class ControlledState:
    """The controls' part of a simulator's state. A subclass's reset() extends this one, under the lock
    (reentrant, so that the whole reset is one step for the requests)."""

    def __init__(self, failure: str, latency_ms: int):
        """`failure` and `latency_ms`: the configured ones, which reset() restores."""
        self.lock = threading.RLock()
        self.configured = (failure, latency_ms)
        self.reset()

    def reset(self) -> None:
        """Back to the configured failure and latency, with an empty request log."""
        failure, latency_ms = self.configured
        with self.lock:
            self.failure: Failure | None = Failure(failure) if failure else None
            self.latency_ms = latency_ms
            self.requests: deque[dict] = deque(maxlen=REQUEST_LOG)

    def take_failure(self, path: str, statuses: tuple[str, ...], **context) -> Failure | None:
        """The failure to apply to this request, if any, counting it down; `context` goes to Failure.matches."""
        with self.lock:
            failure = self.failure
            if failure is None or not failure.matches(path, statuses, **context):
                return None
            if failure.remaining is not None:
                failure.remaining -= 1
                if failure.remaining <= 0:
                    self.failure = None
            return failure

    def record_request(self, status: int) -> None:
        """One line of the request log for the current request (its before-request hook set g.arrived and
        g.started): method, path without its query string, status, time, duration; never a header value."""
        entry = {"method": request.method, "path": request.path, "status": status, "time": g.arrived.isoformat(),
                 "duration_ms": round((time.monotonic() - g.started) * 1000, 1)}
        with self.lock:
            self.requests.append(entry)


# Builds the failure a POST /_sim/failure asks for: (body, status, count, retry_after) → Failure.
FailureFactory = Callable[[dict, str, int | None, int | None], Failure]


def refuse(message: str):
    """A control's 400, in French."""
    return jsonify({"erreur": message}), 400


def whole(value, name: str, minimum: int = 0) -> int | None:
    """An integer ≥ minimum from a JSON body, or None when absent; ValueError in French otherwise."""
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"« {name} » doit être un entier supérieur ou égal à {minimum}")
    return value


def controls_blueprint(name: str, extension: str, failures: tuple[str, ...], make_failure: FailureFactory) -> Blueprint:
    """/_sim/failure, /_sim/latency, /_sim/requests and /_sim/reset on the ControlledState kept in
    app.extensions[extension]; `failures` are the statuses POST /_sim/failure accepts."""
    controls = Blueprint(name, __name__, url_prefix="/_sim")

    def state() -> ControlledState:
        return current_app.extensions[extension]

    @controls.post("/failure")
    def set_failure():
        """{"status": one of `failures` | null, "route": "/path/prefix", "count": 1, "retry_after": 60, …}"""
        body = request.get_json(silent=True) or {}
        status = body.get("status")
        if status is None:
            with state().lock:
                state().failure = None
            return jsonify({"failure": None})
        if str(status) not in failures:
            return refuse(f"« status » doit valoir l'une de ces valeurs : {', '.join(failures)}, ou null")
        try:
            count = whole(body.get("count"), "count", minimum=1)
            retry_after = whole(body.get("retry_after", 60), "retry_after")
        except ValueError as exc:
            return refuse(str(exc))
        failure = make_failure(body, str(status), count, retry_after)
        with state().lock:
            state().failure = failure
        return jsonify({"failure": failure.__dict__})

    @controls.post("/latency")
    def set_latency():
        """{"ms": 300}: added to every answer of the simulated API."""
        try:
            ms = whole((request.get_json(silent=True) or {}).get("ms"), "ms")
        except ValueError as exc:
            return refuse(str(exc))
        if ms is None:
            return refuse("« ms » est obligatoire")
        state().latency_ms = ms
        return jsonify({"ms": ms})

    @controls.get("/requests")
    def list_requests():
        """[{method, path, status, time, duration_ms}], oldest first."""
        with state().lock:
            return jsonify(list(state().requests))

    @controls.delete("/requests")
    def clear_requests():
        with state().lock:
            state().requests.clear()
        return "", 204

    @controls.post("/reset")
    def reset():
        """Back to the configuration (the simulator's reset() says what that covers)."""
        state().reset()
        return "", 204

    return controls
