"""The DGFiP API Management gateway: POST /token (OAuth 2.0 client credentials) and the bearer check.

The OpenAPI's securityScheme: "OAuth 2.0 avec un grant type Client Credentials", token URL
https://IP-GATEWAY/token, one scope per resource (RessourceIR, RessourceIRDerniere2, ...). Public clients
authenticate with HTTP Basic (client_secret_basic) or with client_id/client_secret in the form
(client_secret_post): both are accepted, never both at once (RFC 6749 section 2.3).
"""

from __future__ import annotations

import hmac

from flask import Blueprint, current_app, jsonify, request

from demarche_sandbox.impot_particulier.errors import OAuthError, denied, malformed
from demarche_sandbox.impot_particulier.settings import RESOURCE_SCOPES, ApimClient
from demarche_sandbox.impot_particulier.state import GatewayToken, SimState

bp = Blueprint("ip_gateway", __name__)


def _state() -> SimState:
    return current_app.extensions["ip_sim"]


def _same(expected: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())


def _authenticated_client() -> ApimClient:
    """The client of the Basic header or of the form; invalid_client (401) otherwise."""
    basic = request.authorization if request.authorization and request.authorization.type == "basic" else None
    in_form = "client_secret" in request.form
    if basic and in_form:
        raise OAuthError("invalid_request", "Une seule méthode d'authentification du client est permise.")
    client_id = (basic.username if basic else request.form.get("client_id")) or ""
    secret = basic.password if basic else request.form.get("client_secret")
    client = _state().settings.clients.get(client_id)
    if client is None or not _same(client.client_secret, secret):
        headers = {"WWW-Authenticate": 'Basic realm="IP-GATEWAY"'} if basic else {}
        raise OAuthError("invalid_client", "Authentification du client échouée.", 401, headers)
    return client


@bp.post("/token")
def token():
    """A bearer for the resources the client subscribed to and asked for (all of them when `scope` is absent)."""
    client = _authenticated_client()
    if request.form.get("grant_type") != "client_credentials":
        raise OAuthError("unsupported_grant_type", "Seul grant_type=client_credentials est accepté.")
    asked = frozenset(request.form.get("scope", "").split()) or client.scopes
    refused = sorted(asked - client.scopes)
    if refused:
        known = set(RESOURCE_SCOPES)
        why = "inconnus" if set(refused) - known else "non souscrits par ce compte"
        raise OAuthError("invalid_scope", f"Scopes {why} : {' '.join(refused)}")
    state = _state()
    value = state.issue_token(client.client_id, asked)
    body = {"access_token": value, "scope": " ".join(sorted(asked)), "token_type": "Bearer",
            "expires_in": state.settings.token_ttl}
    return jsonify(body), 200, {"Cache-Control": "no-store", "Pragma": "no-cache"}


def gateway_token(resource: str) -> GatewayToken:
    """The caller's live gateway token holding `resource`: 400 when absent, 403 when invalid or lacking it."""
    header = request.headers.get("Authorization", "")
    if not header:
        raise malformed("en-tête Authorization absent")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise malformed("l'en-tête Authorization doit être « Bearer {jeton} »")
    token = _state().token(value.strip())
    if token is None:
        raise denied("jeton d'accès invalide ou expiré", headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    if resource not in token.scopes:
        raise denied(f"le jeton ne donne pas accès à la ressource {resource}", 4031)
    return token


def check_teleservice(token: GatewayToken) -> None:
    """ID_Teleservice is required (one per use case) and must be the one given to the token's client."""
    given = request.headers.get("ID_Teleservice", "").strip()
    if not given:
        raise malformed("en-tête ID_Teleservice absent")
    if given != _state().settings.clients[token.client_id].id_teleservice:
        raise denied("cet ID_Teleservice n'est pas celui de votre compte", 4031)
