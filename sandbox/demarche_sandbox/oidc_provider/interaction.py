"""The person's screens of an interaction: identity provider choice (ProConnect: the e-mail), login, then
transmission of data, each form with a CSRF token tied to the interaction.
"""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, make_response, redirect, render_template, request, url_for

from demarche_sandbox.oidc_provider.authorize import FAILURE_DESCRIPTIONS, SESSION_COOKIE, redirect_to_client
from demarche_sandbox.oidc_provider.config import Client
from demarche_sandbox.oidc_provider.context import ErrorPage, current
from demarche_sandbox.oidc_provider.store import SESSION_TTL, Interaction

bp = Blueprint("oidc_interaction", __name__, url_prefix="/api/v2/interaction")


def _template(name: str) -> str:
    """The federation's own screen when it has one (templates/proconnect/), else FranceConnect's."""
    return f"{current().federation.key}/{name}.html"


@bp.get("/<uid>")
def show(uid: str) -> Response | str:
    """The screen the interaction is at: provider choice (or e-mail), login, or transmission."""
    interaction, client = _load(uid)
    if interaction.login and not current().federation.consent_screen:
        return _issue_code(interaction)
    if interaction.login:
        return _transmission_page(interaction, client)
    if interaction.idp:
        return _login_page(interaction, client)
    return render_template(_template("providers"), interaction=interaction, client=client,
                           providers=current().federation.identity_providers)


@bp.post("/<uid>/idp")
def choose_provider(uid: str) -> Response | str:
    """Remember the chosen identity provider (an empty choice goes back to the list); ProConnect: the e-mail."""
    interaction, client = _load(uid, form=True)
    federation = current().federation
    if federation.asks_email and request.form.get("email") is not None:
        email = request.form["email"].strip().lower()
        agent = federation.identities().get(email)
        if agent is None:
            return render_template(_template("providers"), interaction=interaction, client=client, email=email,
                                   error=True), 200
        current().store.update_interaction(uid, idp=agent.idp_id, login_hint=email)
        return redirect(url_for(".show", uid=uid), 303)
    idp = request.form.get("idp", "")
    current().store.update_interaction(uid, idp=idp if idp in federation.identity_providers else "",
                                       login_hint="")
    return redirect(url_for(".show", uid=uid), 303)


@bp.post("/<uid>/login")
def login(uid: str) -> Response | str:
    """Check the test identity's password; a refused identity goes back to the client with its error."""
    interaction, client = _load(uid, form=True)
    federation = current().federation
    identity = federation.authenticate(request.form.get("login", ""), request.form.get("password", ""))
    if identity is None:
        return _login_page(interaction, client, login=request.form.get("login", ""), error=True)
    if identity.failure in FAILURE_DESCRIPTIONS:
        return _finish(interaction, error=identity.failure,
                       error_description=FAILURE_DESCRIPTIONS[identity.failure])
    reason = federation.invalid_reason(identity)
    if reason:
        return _finish(interaction, error="access_denied", error_description=reason)
    return _logged_in(interaction, identity)


@bp.post("/<uid>/consent")
def consent(uid: str) -> Response:
    """The "Continuer sur <service>" button: issue the authorization code."""
    interaction, _ = _load(uid, form=True)
    if not interaction.login:
        return redirect(url_for(".show", uid=uid), 303)
    return _issue_code(interaction)


@bp.post("/<uid>/abort")
def abort_login(uid: str) -> Response:
    """The "Revenir sur <service>" button: the citizen gives up (error code 030030)."""
    interaction, _ = _load(uid, form=True)
    return _finish(interaction, error="access_denied", error_description="User auth aborted")


def _load(uid: str, form: bool = False) -> tuple[Interaction, Client]:
    """The live interaction and its client; for a form, its CSRF token must match."""
    sim = current()
    interaction = sim.store.interaction(uid)
    if interaction is None:
        raise ErrorPage("Cette connexion a expiré ou n’existe pas. Revenez sur le site du service pour "
                        "recommencer.", error="interaction_not_found")
    sent = request.form.get("csrf_token", "").encode()
    if form and not hmac.compare_digest(sent, interaction.csrf.encode()):
        raise ErrorPage("Ce formulaire a expiré. Revenez sur le site du service pour recommencer.",
                        error="invalid_csrf_token")
    return interaction, sim.clients[interaction.client_id]


def _login_page(interaction: Interaction, client: Client, login: str = "", error: bool = False) -> str:
    federation = current().federation
    return render_template(_template("login"), interaction=interaction, client=client,
                           login=login or interaction.login_hint, error=error,
                           provider=federation.identity_providers[interaction.idp], hints=federation.login_hints)


def _transmission_page(interaction: Interaction, client: Client) -> str:
    values = current().claim_values(interaction.login, interaction.idp)
    return render_template(
        "franceconnect/transmission.html", interaction=interaction, client=client,
        full_name=f"{values['given_name']} {values['family_name']}",
        provider=current().federation.identity_providers.get(interaction.idp, interaction.idp),
        **current().federation.transmission_items(interaction.scopes, values),
    )


def _issue_code(interaction: Interaction) -> Response:
    """Back to the client with a code, at the acr the request asked for; access_denied if unreachable."""
    sim = current()
    acr = sim.federation.choose_acr(sim.identity(interaction.login), interaction.acr_values, interaction.claims)
    if acr is None:
        return _finish(interaction, error="access_denied",
                       error_description="the essential acr requested cannot be satisfied for this user")
    return _finish(interaction, code=sim.store.issue_code(interaction.grant(acr)))


def _logged_in(interaction: Interaction, identity) -> Response:
    """Open the simulator's browser session (its cookie), then show the transmission screen."""
    sim = current()
    auth_time = int(sim.store.now())
    sim.store.update_interaction(interaction.uid, login=identity.login, auth_time=auth_time)
    sid = sim.store.open_session(identity.login, interaction.idp, auth_time, interaction.client_id)
    response = make_response(redirect(url_for(".show", uid=interaction.uid), 303))
    response.set_cookie(SESSION_COOKIE, sid, max_age=SESSION_TTL, path="/api/v2", httponly=True,
                        samesite="Lax", secure=sim.settings.public_url.startswith("https://"))
    return response


def _finish(interaction: Interaction, **params: str) -> Response:
    """End the interaction and send the browser back to the client with params, state and iss."""
    current().store.end_interaction(interaction.uid)
    return redirect_to_client(interaction.redirect_uri, interaction.response_mode, **params,
                              state=interaction.state)
