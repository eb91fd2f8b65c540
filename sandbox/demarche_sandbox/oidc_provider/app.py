"""Builds the OpenID provider app of one federation: blueprints, discovery document and JWKS."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, jsonify, render_template, request

from demarche_sandbox import TEMPLATES
from demarche_sandbox.dsfr import register_dsfr
from demarche_sandbox.oidc_provider import authorize, controls, interaction, logout, tokens
from demarche_sandbox.oidc_provider.config import SIGNING_ALGS, load_settings, registries
from demarche_sandbox.oidc_provider.context import EXTENSION, ErrorPage, Simulator, current
from demarche_sandbox.oidc_provider.federation import Federation
from demarche_sandbox.oidc_provider.keys import KeyRing
from demarche_sandbox.oidc_provider.store import Store

bp = Blueprint("oidc_discovery", __name__, url_prefix="/api/v2")


def build_app(federation: Federation, overrides: dict | None = None) -> Flask:
    """The provider app of one federation, configured by its <prefix>* variables and `overrides`."""
    settings = load_settings(overrides, federation)
    clients, data_providers = registries(settings, overrides)
    app = Flask(__name__, static_folder=None, template_folder=str(TEMPLATES))
    app.extensions[EXTENSION] = Simulator(settings, clients, data_providers, Store(settings.failure), KeyRing())
    app.context_processor(lambda: {"federation": federation})
    register_dsfr(app)
    for blueprint in (bp, authorize.bp, interaction.bp, tokens.bp, logout.bp):
        app.register_blueprint(blueprint)
    if settings.test_controls:
        app.register_blueprint(controls.bp)
    app.before_request(_log_request)
    app.after_request(_security_headers)
    app.register_error_handler(ErrorPage, _error_page)
    return app


@bp.get("/.well-known/openid-configuration")
def discovery() -> Response:
    """The discovery document, field for field like the real integration platform's."""
    issuer, federation = current().settings.issuer, current().federation
    return jsonify({
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/authorize",
        "token_endpoint": f"{issuer}/token",
        "userinfo_endpoint": f"{issuer}/userinfo",
        "end_session_endpoint": f"{issuer}/session/end",
        "jwks_uri": f"{issuer}/jwks",
        "revocation_endpoint": f"{issuer}/token/revocation",
        "acr_values_supported": list(federation.acr_values),
        "response_types_supported": ["code"],
        "response_modes_supported": ["form_post", "fragment", "query"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["pairwise"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": ["ES256", "RS256"],
        "id_token_signing_alg_values_supported": sorted(SIGNING_ALGS),
        "userinfo_signing_alg_values_supported": sorted(SIGNING_ALGS),
        "claims_parameter_supported": True,
        "request_parameter_supported": False,
        "request_uri_parameter_supported": True,
        "require_request_uri_registration": True,
        "code_challenge_methods_supported": ["S256"],
        "authorization_response_iss_parameter_supported": True,
        "scopes_supported": list(federation.scopes),
        "claims_supported": [*federation.identity_claims, "acr", *federation.data_scopes],
        "claim_types_supported": ["normal"],
    })


@bp.get("/jwks")
def jwks() -> Response:
    """The public keys: one ES256 (P-256) and one RS256 (2048 bits)."""
    return jsonify(current().keys.jwks())


def _log_request() -> None:
    """Remember every /api/v2 request, so tests can assert which endpoints were (not) called."""
    if request.path.startswith("/api/v2/"):
        current().store.log_request(request.method, request.path)


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("X-Frame-Options", "DENY")  # the federations' screens are never framed
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def _error_page(exc: ErrorPage) -> tuple[str, int]:
    """The federation's error page: a message, the user-facing code, no redirect."""
    return render_template("franceconnect/error.html", error=exc), exc.status
