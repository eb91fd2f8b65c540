"""The simulator's WSGI app: gateway /token, the FranceConnect-mode resources, controls, and the hooks
that add latency, inject edge failures (429, 503) and log each request (never a header value)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from flask import Flask, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from demarche_sandbox.impot_particulier import controls, foyers, gateway, resources
from demarche_sandbox.impot_particulier.errors import DgfipError, OAuthError
from demarche_sandbox.impot_particulier.settings import load_settings
from demarche_sandbox.impot_particulier.state import SimState

EDGE_FAILURES = ("429", "503")


def create_app(overrides: dict | None = None) -> Flask:
    """The simulator from IP_SIM_* variables, `overrides` (same keys) taking precedence."""
    settings = load_settings(overrides)
    app = Flask(__name__)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["ip_sim"] = SimState(settings)
    app.extensions["ip_sim_foyers"] = foyers.load_foyers(settings.foyers_file)
    app.register_blueprint(gateway.bp)
    app.register_blueprint(resources.bp)
    if settings.test_controls:
        app.register_blueprint(controls.controls)
    app.before_request(_before)
    app.after_request(_after)
    app.register_error_handler(DgfipError, lambda error: error.response())
    app.register_error_handler(OAuthError, lambda error: error.response())
    app.register_error_handler(HTTPException, _http_error)
    return app


def _simulated(path: str) -> bool:
    return path == "/token" or path.startswith(f"{resources.BASE}/")


def _before() -> None:
    """Latency and edge failures on /token and the resources: the gateway answers before any check."""
    if not _simulated(request.path):
        return
    g.arrived, g.started = datetime.now(UTC), time.monotonic()
    state = app_state()
    if state.latency_ms:
        time.sleep(state.latency_ms / 1000)
    failure = state.take_failure(request.path, EDGE_FAILURES)
    if failure is None:
        return
    if failure.status == "429":
        raise DgfipError(429, "Trop de requêtes : quota de la passerelle dépassé",
                         headers={"Retry-After": str(failure.retry_after)})
    raise DgfipError(503, "Service temporairement indisponible", headers={"Retry-After": str(failure.retry_after)})


def _after(response):
    if "started" in g:
        app_state().record_request(response.status_code)
    return response


def _http_error(error: HTTPException):
    """Unknown routes (the SPI modality, factures, IFI... are not simulated) and wrong methods, as JSON."""
    if error.code == 404 and request.path.startswith(f"{resources.BASE}/"):
        message = "Ressource non simulée : seules les ressources IR en mode FranceConnect le sont"
    else:
        message = error.description or error.name
    return jsonify({"erreur": {"message": message}}), error.code


def app_state() -> SimState:
    return current_app.extensions["ip_sim"]
