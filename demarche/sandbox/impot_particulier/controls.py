"""Test and demo controls under /_sim/: inject failures, add latency, move the date and the clock, read
the request log. The same controls as the API Particulier simulator's, plus "hang" and the simulated day."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from demarche.sandbox.impot_particulier.settings import FAILURES, SettingsError, parse_day
from demarche.sandbox.impot_particulier.state import Failure, SimState

controls = Blueprint("ip_sim_controls", __name__, url_prefix="/_sim")


def _state() -> SimState:
    return current_app.extensions["ip_sim"]


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
    """{"status": 429|500|503|504|"timeout"|"hang"|null, "route": "/impotparticulier/1.0/situations",
    "foyer": "dubois-leroy", "count": 1, "retry_after": 60}"""
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
    failure = Failure(str(status), str(body.get("route") or ""), str(body.get("foyer") or ""), count,
                      retry_after or 0)
    with _state().lock:
        _state().failure = failure
    return jsonify({"failure": failure.__dict__})


@controls.post("/latency")
def set_latency():
    """{"ms": 300}: added to every answer of the API and of /token."""
    try:
        ms = _whole((request.get_json(silent=True) or {}).get("ms"), "ms")
    except ValueError as exc:
        return _refuse(str(exc))
    if ms is None:
        return _refuse("« ms » est obligatoire")
    _state().latency_ms = ms
    return jsonify({"ms": ms})


@controls.post("/today")
def set_today():
    """{"date": "2026-03-01"} (or null: the real date): the day that decides which years are taxed."""
    try:
        day = parse_day(str((request.get_json(silent=True) or {}).get("date") or ""))
    except SettingsError as exc:
        return _refuse(str(exc))
    _state().today_override = day
    return jsonify({"date": _state().today().isoformat()})


@controls.post("/clock")
def advance_clock():
    """{"advance": 3600}: moves the gateway's clock forward (tokens expire)."""
    try:
        seconds = _whole((request.get_json(silent=True) or {}).get("advance"), "advance")
    except ValueError as exc:
        return _refuse(str(exc))
    with _state().lock:
        _state().clock_offset += seconds or 0
    return jsonify({"offset": _state().clock_offset})


@controls.get("/requests")
def list_requests():
    """[{method, path, status, time, duration_ms}], oldest first; no header values (no token in the log)."""
    with _state().lock:
        return jsonify(list(_state().requests))


@controls.delete("/requests")
def clear_requests():
    with _state().lock:
        _state().requests.clear()
    return "", 204


@controls.post("/reset")
def reset():
    """Back to the configuration: failure, latency, day, clock and request log (tokens are kept)."""
    _state().reset()
    return "", 204
