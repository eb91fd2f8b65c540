"""The back-channel endpoints as FranceConnect has them: /token (client_secret_post), /userinfo (a signed
JWT), /token/revocation, and /checktoken for data providers.
"""

from __future__ import annotations

import time
import uuid

from flask import Blueprint, Response, jsonify, request

from demarche_sandbox.oidc_provider.claims import scoped_claims
from demarche_sandbox.oidc_provider.config import Client, same_secret
from demarche_sandbox.oidc_provider.context import Simulator, current
from demarche_sandbox.oidc_provider.keys import sign_jwt
from demarche_sandbox.oidc_provider.store import ACCESS_TOKEN_TTL, ID_TOKEN_TTL, AccessToken, CodeRejected, Grant

bp = Blueprint("oidc_tokens", __name__, url_prefix="/api/v2")

ERROR_DOC = "https://docs.partenaires.franceconnect.gouv.fr/fs/fs-technique/fs-technique-erreurs/"
CHECKTOKEN_IDENTITY = ("given_name", "given_name_array", "family_name", "birthdate", "gender", "birthplace",
                       "birthcountry")


class OAuthError(Exception):
    """An error answered as JSON {error, error_description, error_uri}."""

    def __init__(self, error: str, description: str, status: int = 400, code: str = ""):
        super().__init__(description)
        self.error, self.description, self.status, self.code = error, description, status, code


@bp.errorhandler(OAuthError)
def oauth_error(exc: OAuthError) -> tuple[Response, int]:
    query = f"code={exc.code}&id={uuid.uuid4()}" if exc.code else f"id={uuid.uuid4()}"
    body = {"error": exc.error, "error_description": exc.description, "error_uri": f"{ERROR_DOC}?{query}"}
    return jsonify(body), exc.status


class BearerError(Exception):
    """A refused bearer token: 401 with WWW-Authenticate (RFC 6750)."""


@bp.errorhandler(BearerError)
def bearer_error(exc: BearerError) -> tuple[Response, int]:
    response = jsonify(error="invalid_token", error_description=str(exc))
    response.headers["WWW-Authenticate"] = f'Bearer error="invalid_token", error_description="{exc}"'
    return response, 401


@bp.post("/token")
def token() -> Response:
    """Exchange a code (client_secret_post only) for an access token and an id_token."""
    sim = current()
    client = _authenticated_client(sim)
    if request.form.get("grant_type") != "authorization_code":
        raise OAuthError("unsupported_grant_type", "unsupported grant_type requested")
    if not request.form.get("code"):
        raise OAuthError("invalid_request", "missing required parameter 'code'")
    form = request.form
    try:
        grant = sim.store.redeem_code(form["code"], client.client_id, form.get("redirect_uri", ""),
                                      form.get("code_verifier", ""))
    except CodeRejected as exc:
        raise OAuthError("invalid_grant", str(exc), 400, "Y049E20B") from exc
    if sim.store.failure == "slow" or sim.identity(grant.login).failure == "slow":
        time.sleep(sim.settings.slow_seconds)
    access = sim.store.issue_access_token(grant, form["code"])
    id_token = sign_jwt(_id_token_claims(sim, grant, access.created), client.id_token_signed_response_alg,
                        sim.keys, client.client_secret, sim.store.take_tampering("id_token"))
    response = jsonify({
        "access_token": access.value, "token_type": "Bearer", "expires_in": ACCESS_TOKEN_TTL,
        "id_token": id_token, "scope": " ".join(grant.scopes),
    })
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/userinfo", methods=["GET", "POST"])
def userinfo() -> Response:
    """The granted claims as a JWS (Content-Type application/jwt), signed like the id_token."""
    sim = current()
    access = _bearer_access_token(sim)
    client = sim.clients[access.grant.client_id]
    now = int(sim.store.now())
    claims = {
        "sub": sim.sub(client.client_id, access.grant.login),
        **scoped_claims(access.grant.scopes, sim.claim_values(access.grant.login, access.grant.idp),
                        sim.federation.scope_claims, sim.federation.omitted_when_empty),
        "iss": sim.settings.issuer, "aud": client.client_id, "iat": now, "exp": now + ID_TOKEN_TTL,
    }
    jws = sign_jwt(claims, client.userinfo_signed_response_alg, sim.keys, client.client_secret,
                   sim.store.take_tampering("userinfo"))
    return Response(jws, content_type="application/jwt", headers={"Cache-Control": "no-store"})


@bp.post("/token/revocation")
def revocation() -> tuple[str, int]:
    """RFC 7009 with client_secret_post: 200 whether or not the token was known."""
    sim = current()
    client = _authenticated_client(sim)
    if not request.form.get("token"):
        raise OAuthError("invalid_request", "missing required parameter 'token'")
    sim.store.revoke(request.form["token"], client.client_id)
    return "", 200


@bp.post("/checktoken")
def checktoken() -> Response:
    """Introspection of a citizen's access token by a data provider.

    Deviation: the real endpoint answers a JWE (encrypted for the data provider) wrapping a JWS; the
    simulator answers the same payload as plain JSON, so a data-provider simulator needs no key pair.
    """
    sim = current()
    provider = sim.data_providers.get(request.form.get("client_id", ""))
    if provider is None or not same_secret(provider.client_secret, request.form.get("client_secret")):
        raise OAuthError("invalid_client", "client authentication failed", 401)
    if not request.form.get("token"):
        raise OAuthError("invalid_request", "missing required parameter 'token'")
    access = sim.store.access_token(request.form["token"])
    if access is None:
        return jsonify(active=False)
    values = sim.claim_values(access.grant.login, access.grant.idp)
    payload = {
        "active": True, "aud": access.grant.client_id, "sub": sim.sub(provider.client_id, access.grant.login),
        "iat": int(access.created), "exp": int(access.expires), "acr": access.grant.acr, "jti": access.jti,
        "scope": " ".join(scope for scope in access.grant.scopes if scope in provider.scopes),
        **{claim: values[claim] for claim in CHECKTOKEN_IDENTITY},
    }
    if values["preferred_username"]:
        payload["preferred_username"] = values["preferred_username"]
    return jsonify(payload)


def _authenticated_client(sim: Simulator) -> Client:
    """The client authenticated by client_id + client_secret in the form; HTTP Basic is refused (not advertised)."""
    if request.authorization and request.authorization.type == "basic":
        raise OAuthError("invalid_client", "client_secret_basic is not allowed: use client_secret_post", 401,
                         "Y04EA6EF")
    if "client_assertion" in request.form:  # advertised by the real discovery, not simulated
        raise OAuthError("invalid_client", "private_key_jwt is not supported by the simulator", 401)
    client = sim.clients.get(request.form.get("client_id", ""))
    if client is None or not same_secret(client.client_secret, request.form.get("client_secret")):
        raise OAuthError("invalid_client", "client authentication failed", 401, "Y04EA6EF")
    return client


def _bearer_access_token(sim: Simulator) -> AccessToken:
    """The live access token from the Authorization header.

    Deviation: the real userinfo also accepts ?access_token= (acceptQueryParamAccessTokens); the
    simulator refuses it so that the service never comes to depend on it.
    """
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    value = value.strip() if scheme.lower() == "bearer" else ""
    access = sim.store.access_token(value) if value else None
    if access is None:
        raise BearerError("invalid or expired token" if value else "no Bearer token in Authorization header")
    return access


def _id_token_claims(sim: Simulator, grant: Grant, issued_at: float) -> dict:
    """iss, sub, aud, exp (iat + 60), iat, auth_time, nonce, acr, and amr when asked by `claims`."""
    iat = int(issued_at)
    claims = {
        "iss": sim.settings.issuer, "sub": sim.sub(grant.client_id, grant.login), "aud": grant.client_id,
        "exp": iat + ID_TOKEN_TTL, "iat": iat, "auth_time": grant.auth_time, "nonce": grant.nonce,
        "acr": grant.acr,
    }
    requested = grant.claims.get("id_token")
    if isinstance(requested, dict) and "amr" in requested:
        claims["amr"] = ["pwd"]
    return claims
