"""Builds the API Particulier v3 simulator: the official /v3 paths, payloads, errors and headers, from personas.
State in memory, so single-process; settings AP_SIM_* (docs/simulateurs.md).
"""

from __future__ import annotations

import hashlib
import math
import os
import time
import uuid
from datetime import UTC, date, datetime

from flask import Flask, current_app, g, jsonify, request

from demarche_sandbox import defaults
from demarche_sandbox.api_particulier.auth import Grant, bearer, france_connect_grant, service_grant
from demarche_sandbox.api_particulier.catalogue import APIS, Api, mask
from demarche_sandbox.api_particulier.controls import FAILURES, Failure, SimState, controls
from demarche_sandbox.api_particulier.errors import SimError, provider_error
from demarche_sandbox.api_particulier.params import check_recipient, identity_criteria, ine_value, period
from demarche_sandbox.api_particulier.personas import DEFAULT_FILE, Persona, build_data, find, load_personas

DEFAULTS = {
    "AP_SIM_FC_ISSUER": f"http://localhost:{defaults.PORTS['franceconnect']}/api/v2",
    "AP_SIM_TOKEN": defaults.API_PARTICULIER_TOKEN,
    "AP_SIM_DATA_PROVIDER_ID": defaults.DATA_PROVIDER_ID,
    "AP_SIM_DATA_PROVIDER_SECRET": defaults.DATA_PROVIDER_SECRET,
    "AP_SIM_LATENCY_MS": "0",
    "AP_SIM_FAILURE": "",
    "AP_SIM_SLOW_SECONDS": "8",
    "AP_SIM_TEST_CONTROLS": "1",
    "AP_SIM_RATE_LIMIT": "1200",
    "AP_SIM_RATE_LIMIT_PER_SECOND": "0",
    "AP_SIM_IP_RATE_LIMIT": "0",
    "AP_SIM_PERSONAS": str(DEFAULT_FILE),
}


def load_config(overrides: dict | None = None) -> dict:
    """Environment then overrides, typed; an unknown AP_SIM_FAILURE stops the start."""
    overrides = dict(overrides or {})
    raw = {key: overrides.get(key, os.environ.get(key, default)) for key, default in DEFAULTS.items()}
    config = {
        "AP_SIM_FC_ISSUER": str(raw["AP_SIM_FC_ISSUER"]).rstrip("/"),
        "AP_SIM_LATENCY_MS": int(raw["AP_SIM_LATENCY_MS"]),
        "AP_SIM_FAILURE": str(raw["AP_SIM_FAILURE"] or "").strip().lower(),
        "AP_SIM_SLOW_SECONDS": float(raw["AP_SIM_SLOW_SECONDS"]),
        "AP_SIM_TEST_CONTROLS": str(raw["AP_SIM_TEST_CONTROLS"]).lower() in ("1", "true"),
        "AP_SIM_RATE_LIMIT": int(raw["AP_SIM_RATE_LIMIT"]),
        "AP_SIM_RATE_LIMIT_PER_SECOND": int(raw["AP_SIM_RATE_LIMIT_PER_SECOND"]),
        "AP_SIM_IP_RATE_LIMIT": int(raw["AP_SIM_IP_RATE_LIMIT"]),
        "AP_SIM_PERSONAS": str(raw["AP_SIM_PERSONAS"]),
        "AP_SIM_TOKENS": overrides.get("AP_SIM_TOKENS") or {str(raw["AP_SIM_TOKEN"]): ["*"]},
        "AP_SIM_DATA_PROVIDER_ID": str(raw["AP_SIM_DATA_PROVIDER_ID"]),
        "AP_SIM_DATA_PROVIDER_SECRET": str(raw["AP_SIM_DATA_PROVIDER_SECRET"]),
    }
    if config["AP_SIM_FAILURE"] not in ("", *FAILURES):
        raise ValueError(f"AP_SIM_FAILURE : valeurs possibles {', '.join(FAILURES)} (ou vide)")
    return config


def create_app(overrides: dict | None = None) -> Flask:
    """The simulator; `overrides` take precedence over the environment (AP_SIM_* keys, and AP_SIM_TOKENS:
    {token: ["*" | "/v3/route/prefix" | scope, …]}, overrides only)."""
    config = load_config(overrides)
    app = Flask(__name__, static_folder=None)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["ap_sim"] = SimState(config)
    app.extensions["ap_sim_personas"] = load_personas(config["AP_SIM_PERSONAS"])
    app.before_request(_before)
    app.after_request(_after)
    app.register_error_handler(SimError, _error_response)
    for api in APIS:
        for path, modality in api.routes():
            app.add_url_rule(path, f"{api.name}_{modality}", _view(api, modality), methods=["GET"])
    if config["AP_SIM_TEST_CONTROLS"]:
        app.register_blueprint(controls)
    return app


def _state() -> SimState:
    return current_app.extensions["ap_sim"]


def _api_for(path: str) -> Api | None:
    return next((api for api in APIS if path.startswith(f"{api.base}/")), None)


def _error_response(error: SimError):
    return jsonify(error.body()), error.status, error.headers


def _before():
    """On /v3: latency, the per-token rate limit, then edge failures (429, 503) before any check."""
    if not request.path.startswith("/v3/"):
        return
    state = _state()
    g.arrived, g.started = datetime.now(UTC), time.monotonic()
    if state.latency_ms:
        time.sleep(state.latency_ms / 1000)
    token = bearer(request.headers.get("Authorization", ""))
    key = hashlib.sha256((token or f"ip:{request.remote_addr}").encode()).hexdigest()
    limit = state.config["AP_SIM_RATE_LIMIT"]
    remaining, window_end = state.count_request(key, time.time(), limit)
    g.rate = (limit, max(remaining, 0), int(window_end))
    if remaining < 0:
        raise SimError(429, "00429", headers={"Retry-After": str(math.ceil(window_end - time.time()))})
    _platform_limits(state, key)
    api = _api_for(request.path)
    failure = state.take_failure(request.path, ("429", "503")) if api else None
    if failure:
        raise _injected(failure, api)


def _platform_limits(state, key: str) -> None:
    """The platform's quotas when set: calls per token in any second, and per caller's IP per minute, all tokens
    together (https://particulier.api.gouv.fr/developpeurs#respecter-la-volumetrie); beyond, 429 + Retry-After."""
    now, config = time.time(), state.config
    per_second, per_ip = config["AP_SIM_RATE_LIMIT_PER_SECOND"], config["AP_SIM_IP_RATE_LIMIT"]
    if per_second and not state.within_second(key, now, per_second):
        raise SimError(429, "00429", headers={"Retry-After": "1"})
    if per_ip:
        remaining, window_end = state.count_request(f"ip:{request.remote_addr}", now, per_ip)
        if remaining < 0:
            raise SimError(429, "00429", headers={"Retry-After": str(math.ceil(window_end - now))})


def _after(response):
    """Headers of every /v3 answer and one line of the request log."""
    if not request.path.startswith("/v3/"):
        return response
    response.headers["X-Request-ID"] = str(uuid.uuid4())
    if "rate" in g:
        limit, remaining, reset = g.rate
        response.headers.update(
            {"RateLimit-Limit": limit, "RateLimit-Remaining": remaining, "RateLimit-Reset": reset}
        )
    if request.path.startswith("/v3/dss/"):  # nothing is cached here, so Cache-Control: no-cache is honoured
        response.headers.update({"X-Response-Cached": "false", "X-Cache-Expires-in": ""})
    _state().record_request(response.status_code)
    return response


def _injected(failure: Failure, api: Api) -> SimError:
    """The error of an injected failure, with this API's provider codes."""
    if failure.status == "429":
        return SimError(429, "00429", headers={"Retry-After": str(failure.retry_after)})
    if failure.status == "409":
        return SimError(409, "00015")
    if failure.status == "504":
        return SimError(504, "00501", meta={"retry_in": 10})
    if failure.status == "timeout":
        time.sleep(_state().config["AP_SIM_SLOW_SECONDS"])
        return provider_error(504, api.provider_prefix, api.provider, "002")
    suffix = "001" if failure.status == "503" else "999"
    return provider_error(int(failure.status), api.provider_prefix, api.provider, suffix)


def _view(api: Api, modality: str):
    def view():
        return _serve(api, modality)

    view.__name__ = f"{api.name}_{modality}"
    return view


def _grant(modality: str) -> Grant:
    config = _state().config
    token = bearer(request.headers.get("Authorization", ""))
    if modality == "france_connect":
        credentials = (config["AP_SIM_DATA_PROVIDER_ID"], config["AP_SIM_DATA_PROVIDER_SECRET"])
        return france_connect_grant(token, config["AP_SIM_FC_ISSUER"], credentials)
    return service_grant(token, config["AP_SIM_TOKENS"], request.path)


def _person(api: Api, modality: str, grant: Grant) -> Persona | None:
    """Validate who is asked for, then look them up as the provider would."""
    personas = current_app.extensions["ap_sim_personas"]
    if modality == "ine":
        return find(personas, ine=ine_value(request.args))
    criteria = (
        grant.identity if modality == "france_connect" else identity_criteria(request.args, api.profile)
    )
    return find(personas, criteria)


def _serve(api: Api, modality: str):
    """Auth, privileges, parameters, provider (failures, personas), scope mask: in API Particulier's order."""
    grant = _grant(modality)
    if not grant.allows(api):
        raise SimError(403, "00100", parameter="token")
    check_recipient(request.args)
    person = _person(api, modality, grant)
    today = date.today()
    months = period(request.args, today) if "annee" in api.extra_params else None
    failure = _state().take_failure(request.path, ("409", "502", "504", "timeout"))
    if failure:
        raise _injected(failure, api)
    if person and person.behaviour == "provider_down":
        raise provider_error(502, api.provider_prefix, api.provider, "999")
    if person and person.behaviour == "slow":
        time.sleep(_state().config["AP_SIM_SLOW_SECONDS"])
    data = build_data(api.name, person, today, months) if person else None
    if data is None:
        raise api.not_found_error(modality)
    if modality == "france_connect":
        data = {key: value for key, value in data.items() if key not in api.fc_drops}
    return jsonify({"data": mask(data, api, grant.scopes), "links": {}, "meta": {}})
