"""RP-initiated logout, /session/end: checks id_token_hint and post_logout_redirect_uri, ends the browser
session and goes back with ?state=.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, make_response, redirect, render_template, request

from demarche_sandbox.oidc_provider.authorize import SESSION_COOKIE
from demarche_sandbox.oidc_provider.config import Client
from demarche_sandbox.oidc_provider.context import ErrorPage, Simulator, current
from demarche_sandbox.oidc_provider.keys import verify_own

bp = Blueprint("oidc_logout", __name__)


@bp.route("/api/v2/session/end", methods=["GET", "POST"])
def end_session() -> Response:
    """Close the browser session, then 303 to post_logout_redirect_uri?state=… (or a French page)."""
    sim = current()
    client = _hinted_client(sim, request.values.get("id_token_hint", ""))
    target = request.values.get("post_logout_redirect_uri", "")
    if target and target not in client.post_logout_redirect_uris:
        raise ErrorPage("L’adresse de retour après déconnexion (post_logout_redirect_uri) n’est pas "
                        "enregistrée pour ce fournisseur de service.", "Y04C013C", "invalid_request")
    sim.store.close_session(request.cookies.get(SESSION_COOKIE))
    if target:
        state = request.values.get("state", "")
        separator = "&" if "?" in target else "?"
        response = redirect(f"{target}{separator}{urlencode({'state': state})}" if state else target, 303)
    else:
        response = make_response(render_template("franceconnect/logged_out.html", client=client))
    response.delete_cookie(SESSION_COOKIE, path="/api/v2")
    return response


def _hinted_client(sim: Simulator, hint: str) -> Client:
    """The client of an id_token this simulator signed (expired or not); ErrorPage otherwise."""
    if not hint:
        raise ErrorPage("Le paramètre id_token_hint est obligatoire pour se déconnecter.")
    claims = verify_own(hint, sim.keys, lambda aud: getattr(sim.clients.get(aud), "client_secret", None))
    if claims is None:
        raise ErrorPage("Le jeton id_token_hint est invalide\u00a0: il n’a pas été signé par ce "
                        f"{sim.federation.name}.")
    client = sim.clients.get(str(claims.get("aud", "")))
    asked = request.values.get("client_id")
    if client is None or (asked and asked != client.client_id):
        raise ErrorPage(f"Ce fournisseur de service est inconnu de {sim.federation.name} (client_id inconnu).",
                        "Y04EA6EF", "invalid_client")
    return client
