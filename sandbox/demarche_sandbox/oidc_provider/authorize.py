"""/authorize: checks the request as FranceConnect does (an error page, never a redirect, for a bad client,
redirect_uri or parameter), then starts an interaction (the person's screens).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Blueprint, Response, make_response, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from demarche_sandbox.oidc_provider.config import Client
from demarche_sandbox.oidc_provider.context import ErrorPage, Simulator, current

bp = Blueprint("oidc_authorize", __name__)

SESSION_COOKIE = "fc_sim_session"
RESPONSE_MODES = ("query", "fragment", "form_post")
FAILURE_DESCRIPTIONS = {
    "server_error": "an unexpected error occurred (simulated failure)",
    "temporarily_unavailable": "the service is temporarily unavailable (simulated failure)",
}


@dataclass(frozen=True)
class AuthorizeRequest:
    """A valid authorization request (prompt is not kept: FranceConnect forces "login consent")."""

    client: Client
    redirect_uri: str
    response_mode: str
    scopes: tuple[str, ...]
    state: str
    nonce: str
    claims: dict
    code_challenge: str
    acr_values: tuple[str, ...]


@bp.route("/api/v2/authorize", methods=["GET", "POST"])
def authorize() -> Response:
    """Check the request, then 303 to the interaction; refused scopes and failures go back to the client."""
    sim = current()
    req = parse_request(request.values, sim)
    refused = sorted(set(req.scopes) - req.client.scopes)
    if refused:
        description = f"requested scope is not allowed: {' '.join(refused)}"
        return redirect_to_client(req.redirect_uri, req.response_mode, error="invalid_scope",
                                  error_description=description, state=req.state)
    if sim.store.failure in FAILURE_DESCRIPTIONS:
        return redirect_to_client(req.redirect_uri, req.response_mode, error=sim.store.failure,
                                  error_description=FAILURE_DESCRIPTIONS[sim.store.failure], state=req.state)
    interaction = sim.store.start_interaction(
        client_id=req.client.client_id, redirect_uri=req.redirect_uri, response_mode=req.response_mode,
        scopes=req.scopes, state=req.state, nonce=req.nonce, claims=req.claims,
        code_challenge=req.code_challenge, acr_values=req.acr_values,
    )
    session = sim.store.session(request.cookies.get(SESSION_COOKIE))
    if session and req.client.client_id in session.client_ids:
        # Logged in here less than 30 minutes ago for this client: only the transmission screen is shown
        # (what the service's second, data-scope authorization relies on).
        sim.store.update_interaction(interaction.uid, login=session.login, idp=session.idp,
                                     auth_time=session.auth_time)
    return redirect(url_for("oidc_interaction.show", uid=interaction.uid), 303)


def parse_request(params: MultiDict, sim: Simulator) -> AuthorizeRequest:
    """The checked request; ErrorPage for an unknown client, unregistered redirect_uri or bad parameter."""
    client = sim.clients.get(params.get("client_id", ""))
    if client is None:
        raise ErrorPage(f"Ce fournisseur de service est inconnu de {sim.federation.name} (client_id inconnu).",
                        "Y04EA6EF", "invalid_client")
    redirect_uri = params.get("redirect_uri", "")
    if redirect_uri not in client.redirect_uris:
        raise ErrorPage("L’adresse de retour (redirect_uri) n’est pas enregistrée pour ce fournisseur "
                        "de service.", "Y04C013C", "invalid_redirect_uri")
    problem = invalid_parameter(params, 32 if sim.settings.strict else 22, sim.federation.acr_values,
                                sim.federation.name)
    if problem:
        raise ErrorPage(problem, "Y030007", "invalid_request")
    return AuthorizeRequest(
        client=client, redirect_uri=redirect_uri, response_mode=params.get("response_mode") or "query",
        scopes=tuple(dict.fromkeys(params.get("scope", "").split())), state=params["state"],
        nonce=params["nonce"], claims=_claims(params) or {}, code_challenge=params.get("code_challenge", ""),
        acr_values=tuple((params.get("acr_values") or "").split()),
    )


def invalid_parameter(params: MultiDict, minimum: int, acr_values: tuple[str, ...] = ("eidas1",),
                      federation: str = "FranceConnect") -> str | None:
    """What is wrong with the parameters, in French (the checks of FranceConnect's core), or None.

    Deviation for ProConnect: an unknown acr value is refused here, where ProConnect falls back to eidas1.
    """
    checks = (
        (params.get("response_type") == "code",
         f"Le paramètre {_q('response_type')} doit valoir {_q('code')}."),
        (len(params.get("state", "")) >= minimum,
         f"Le paramètre {_q('state')} est obligatoire et doit compter au moins {minimum} caractères."),
        (len(params.get("nonce", "")) >= minimum,
         f"Le paramètre {_q('nonce')} est obligatoire et doit compter au moins {minimum} caractères."),
        ("openid" in params.get("scope", "").split(),
         f"Le paramètre {_q('scope')} doit contenir {_q('openid')}."),
        (set((params.get("acr_values") or acr_values[0]).split()) <= set(acr_values),
         f"{federation} n’accepte que {', '.join(map(_q, acr_values))} dans {_q('acr_values')}."),
        (set(params.get("prompt", "").split()) <= {"login", "consent"},
         f"Le paramètre {_q('prompt')} n’accepte que {_q('login')} et {_q('consent')}."),
        ((params.get("response_mode") or "query") in RESPONSE_MODES,
         f"Le paramètre {_q('response_mode')} n’accepte que {', '.join(map(_q, RESPONSE_MODES))}."),
        (_claims(params) is not None, f"Le paramètre {_q('claims')} doit être un objet JSON."),
        ("request" not in params, f"Le paramètre {_q('request')} n’est pas pris en charge."),
        ("request_uri" not in params, f"Aucune {_q('request_uri')} n’est enregistrée pour ce service."),
        (params.get("code_challenge_method", "S256") == "S256",
         f"Seule la méthode PKCE {_q('S256')} est acceptée."),
    )
    return next((message for ok, message in checks if not ok), None)


def redirect_to_client(redirect_uri: str, response_mode: str, **params: str) -> Response:
    """Send the browser back to the client with params and iss (RFC 9207), as response_mode says."""
    params = {name: value for name, value in params.items() if value} | {"iss": current().settings.issuer}
    if response_mode == "form_post":
        page = render_template("franceconnect/form_post.html", action=redirect_uri, params=params)
        return make_response(page)
    separator = "#" if response_mode == "fragment" else ("&" if "?" in redirect_uri else "?")
    return redirect(f"{redirect_uri}{separator}{urlencode(params)}", 303)


def _claims(params: MultiDict) -> dict | None:
    """The `claims` parameter as a dict ({} when absent), or None when it is not a JSON object."""
    try:
        claims = json.loads(params.get("claims") or "{}")
    except ValueError:
        return None
    return claims if isinstance(claims, dict) else None


def _q(name: str) -> str:
    """A name in French quotation marks, with non-breaking spaces."""
    return f"«\u00a0{name}\u00a0»"
