"""Test controls of the OpenID provider under /_sim (JSON, no CSRF, only if <prefix>TEST_CONTROLS is "1"):
tamper with tokens, rotate keys, move the clock, inject failures, list requests.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from demarche_sandbox.oidc_provider.config import FAILURE_MODES
from demarche_sandbox.oidc_provider.context import current

bp = Blueprint("oidc_controls", __name__, url_prefix="/_sim")

TAMPER_FIELDS: dict[str, type] = {
    "set": dict, "remove": list, "alg": str, "kid": str, "header": dict,
    "corrupt_signature": bool, "sign_with_unknown_key": bool,
}
TAMPER_ALGS = ("none", "HS256", "RS256", "ES256")


class ControlError(Exception):
    """A control request the simulator cannot follow: 400 {"error": message}."""


@bp.errorhandler(ControlError)
def control_error(exc: ControlError) -> tuple[Response, int]:
    return jsonify(error=str(exc)), 400


@bp.post("/next-id-token")
def next_id_token() -> Response:
    """Tamper with the next id_token issued by /token."""
    current().store.set_tampering("id_token", _tampering(_body()))
    return jsonify(ok=True)


@bp.post("/next-userinfo")
def next_userinfo() -> Response:
    """Tamper with the next userinfo JWS."""
    current().store.set_tampering("userinfo", _tampering(_body()))
    return jsonify(ok=True)


@bp.post("/rotate-keys")
def rotate_keys() -> Response:
    """New ES256 and RS256 keys with new kids; the old ones leave the JWKS. {"single_without_kid": true}: one
    ES256 key without kid instead."""
    return jsonify(kids=current().keys.rotate(single_without_kid=bool(_body().get("single_without_kid"))))


@bp.post("/clock")
def clock() -> Response:
    """{"advance": seconds} shifts the simulator's clock; {"reset": true} puts it back."""
    store, body = current().store, _body()
    advance = body.get("advance")
    if body.get("reset") is True:
        store.shift_clock(None)
    elif isinstance(advance, int | float) and not isinstance(advance, bool):
        store.shift_clock(float(advance))
    else:
        raise ControlError('expected {"advance": <seconds>} or {"reset": true}')
    return jsonify(offset=store.clock_offset, now=store.now())


@bp.post("/failure")
def failure() -> Response:
    """{"mode": "server_error" | "temporarily_unavailable" | "slow" | ""}: the global failure switch."""
    mode = _body().get("mode", "")
    if mode not in FAILURE_MODES:
        raise ControlError(f"mode must be one of {list(FAILURE_MODES)}")
    current().store.set_failure(mode)
    return jsonify(mode=mode)


@bp.get("/requests")
def requests_received() -> Response:
    """Every /api/v2 request received: [{"method", "path", "time"}]."""
    return jsonify(current().store.request_log())


@bp.delete("/requests")
def clear_requests() -> tuple[str, int]:
    current().store.request_log(clear=True)
    return "", 204


@bp.post("/reset")
def reset() -> Response:
    """Forget interactions, sessions, codes, tokens, tampering and the log; clock and failure back to
    their configured values. The keys are kept, like a real platform's across a restart of its state."""
    sim = current()
    sim.store.reset(sim.settings.failure)
    return jsonify(ok=True)


def _body() -> dict:
    body = request.get_json(silent=True)
    if body is None and not request.get_data():
        return {}
    if not isinstance(body, dict):
        raise ControlError("the body must be a JSON object")
    return body


def _tampering(body: dict) -> dict:
    """The tampering spec, checked field by field."""
    unknown = sorted(set(body) - set(TAMPER_FIELDS))
    if unknown:
        raise ControlError(f"unknown fields: {', '.join(unknown)}; known: {', '.join(TAMPER_FIELDS)}")
    for name, kind in TAMPER_FIELDS.items():
        if name in body and not isinstance(body[name], kind):
            raise ControlError(f"{name} must be a {kind.__name__}")
    if "alg" in body and body["alg"] not in TAMPER_ALGS:
        raise ControlError(f"alg must be one of {list(TAMPER_ALGS)}")
    return body
