"""Test and demo controls under /_sim/: inject failures, add latency, move the date and the clock, read
the request log. The same controls as the API Particulier simulator's (sandbox/demarche_sandbox/controls.py), plus
"hang", the household filter, the simulated day and the gateway's clock."""

from __future__ import annotations

from flask import current_app, jsonify, request

from demarche_sandbox.controls import controls_blueprint, refuse, whole
from demarche_sandbox.impot_particulier.settings import FAILURES, SettingsError, parse_day
from demarche_sandbox.impot_particulier.state import Failure, SimState


def _failure(body: dict, status: str, count: int | None, retry_after: int | None) -> Failure:
    """{"status": 429|500|503|504|"timeout"|"hang", "route": "/impotparticulier/1.0/situations",
    "foyer": "dubois-leroy", "count": 1, "retry_after": 60}"""
    return Failure(status, str(body.get("route") or ""), count, retry_after or 0, foyer=str(body.get("foyer") or ""))


controls = controls_blueprint("ip_sim_controls", "ip_sim", FAILURES, _failure)


def _state() -> SimState:
    return current_app.extensions["ip_sim"]


@controls.post("/today")
def set_today():
    """{"date": "2026-03-01"} (or null: the real date): the day that decides which years are taxed."""
    try:
        day = parse_day(str((request.get_json(silent=True) or {}).get("date") or ""))
    except SettingsError as exc:
        return refuse(str(exc))
    _state().today_override = day
    return jsonify({"date": _state().today().isoformat()})


@controls.post("/clock")
def advance_clock():
    """{"advance": 3600}: moves the gateway's clock forward (tokens expire)."""
    try:
        seconds = whole((request.get_json(silent=True) or {}).get("advance"), "advance")
    except ValueError as exc:
        return refuse(str(exc))
    with _state().lock:
        _state().clock_offset += seconds or 0
    return jsonify({"offset": _state().clock_offset})
