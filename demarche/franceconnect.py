"""FranceConnect v2 login and logout for citizens (shared/docs/franceconnect.md §14 is the checklist).

The protocol lives in demarche/oidc.py; this blueprint keeps state and nonce server-side, maps
FranceConnect's errors to French pages with a way forward, and opens or ends the local session.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, current_app, redirect, render_template, url_for

from demarche import coulisses
from demarche.auth import session as auth_session
from demarche.extensions import db
from demarche.identity import PivotIdentity
from demarche.models import Citizen, utcnow
from demarche.observability import pseudonymous_key
from demarche.oidc import OidcClient, OidcError, ProviderRules, ProviderUnreachable, TokenSet
from demarche.oidc_flow import CallbackError, begin, complete, end_session, logout_state_matches

bp = Blueprint("franceconnect", __name__, url_prefix="/franceconnect")
log = logging.getLogger("demarche.franceconnect")

LOGIN_SCOPES = ("openid", "identite_pivot", "email")
RULES = ProviderRules(name="FranceConnect", scopes=LOGIN_SCOPES, acr_values="eidas1", accepted_acr=("eidas1",))
PENDING_KEY = "oidc_pending"  # the ProConnect login keeps its own (demarche/proconnect.py)


def init_app(app: Flask, settings) -> None:
    """Create the FranceConnect client of this app (discovery happens at first use)."""
    app.extensions["franceconnect"] = OidcClient(
        settings.fc_issuer, settings.fc_client_id, settings.fc_client_secret, RULES
    )
    app.register_blueprint(bp)


def client() -> OidcClient:
    return current_app.extensions["franceconnect"]


def start_authorization(purpose: str, scopes: tuple[str, ...], callback_endpoint: str):
    """Redirect to FranceConnect; state and nonce stay in the server-side session, single use."""
    redirect_uri = current_app.config["PUBLIC_URL"] + url_for(callback_endpoint)
    try:
        url = begin(client(), PENDING_KEY, purpose, scopes, redirect_uri)
        coulisses.authorization(url, purpose)
    except OidcError as error:
        log.warning("franceconnect discovery failed", extra={"context": {"reason": error.reason}})
        return error_page("unavailable")
    return redirect(url, code=303)


def finish_authorization(purpose: str) -> TokenSet:
    """Check state (first), iss, error; exchange the code; verify the ID token. Raise CallbackError."""
    tokens = complete(client(), PENDING_KEY, purpose)
    coulisses.tokens(tokens)
    return tokens


ERROR_PAGES = {
    "denied": (200, "Connexion annulée",
               "Vous avez interrompu la connexion avec FranceConnect, ou votre identité n’a pas pu être "
               "vérifiée par le fournisseur d’identité choisi."),
    "state": (400, "Votre demande de connexion a expiré",
              "Par sécurité, une demande de connexion n’est valable qu’une fois et pendant 30 minutes. "
              "Recommencez la connexion."),
    "protocol": (400, "La connexion n’a pas pu aboutir",
                 "La réponse reçue de FranceConnect est incomplète. Recommencez la connexion."),
    "verification": (400, "La connexion a été interrompue par sécurité",
                     "La réponse de FranceConnect n’a pas pu être vérifiée. Aucune donnée n’a été conservée. "
                     "Recommencez la connexion."),
    "server_error": (502, "FranceConnect a rencontré une erreur",
                     "FranceConnect n’a pas pu terminer votre connexion. Réessayez dans quelques instants."),
    "unavailable": (503, "FranceConnect est momentanément indisponible",
                    "Le service de connexion de l’État ne répond pas pour le moment. Réessayez dans quelques "
                    "minutes."),
    "configuration": (400, "La connexion avec FranceConnect a échoué",
                      "Notre service a envoyé une demande que FranceConnect a refusée. Réessayez plus tard ; "
                      "si le problème persiste, contactez la mairie."),
}


def error_page(kind: str):
    """A French page with a retry button and the counter alternative: never a dead end."""
    status, title, message = ERROR_PAGES[kind]
    return render_template("franceconnect/error.html", title=title, message=message, kind=kind), status


@bp.post("/login")
def login():
    """Start a FranceConnect login (POST with a CSRF token: no login CSRF)."""
    return start_authorization("login", LOGIN_SCOPES, "franceconnect.callback")


@bp.get("/callback")
def callback():
    """FranceConnect's redirect back: verify everything, then open a fresh session."""
    try:
        tokens = finish_authorization("login")
        userinfo = client().fetch_userinfo(tokens.access_token, expected_sub=tokens.id_claims["sub"])
        coulisses.userinfo(userinfo)
    except CallbackError as error:
        log.warning("franceconnect login refused", extra={"context": {"reason": error.reason}})
        return error_page(error.kind)
    except OidcError as error:
        log.warning("franceconnect userinfo refused", extra={"context": {"reason": error.reason}})
        return error_page("unavailable" if isinstance(error, ProviderUnreachable) else "verification")
    open_citizen_session(tokens, PivotIdentity.from_claims(userinfo))
    return redirect(url_for("pages.start"), code=303)


def open_citizen_session(tokens: TokenSet, identity: PivotIdentity) -> None:
    """Find or create the citizen by (issuer, sub) and rotate the session id (fixation)."""
    sub = tokens.id_claims["sub"]
    citizen = db.session.scalar(db.select(Citizen).filter_by(issuer=client().issuer, sub=sub))
    if citizen is None:
        citizen = Citizen(issuer=client().issuer, sub=sub)
        db.session.add(citizen)
    citizen.last_login_at = utcnow()
    db.session.commit()
    login = auth_session.CitizenLogin(
        citizen_id=citizen.id, user_key=pseudonymous_key(sub), identity=identity, sub=sub, id_token=tokens.id_token,
        acr=tokens.id_claims.get("acr"), auth_time=tokens.id_claims.get("auth_time") or tokens.id_claims.get("iat"))
    auth_session.open_citizen(login)
    log.info("franceconnect login", extra={"context": {"user_key": login.user_key}})


@bp.post("/logout")
def logout():
    """End the local session first, then FranceConnect's, with a fresh state to check on return."""
    login = auth_session.citizen()
    id_token = login.id_token if login else None
    auth_session.close()
    callback = current_app.config["PUBLIC_URL"] + url_for("franceconnect.logout_callback")
    url = end_session(client(), id_token, "logout_state", callback)
    return redirect(url or url_for("franceconnect.logout_callback"), code=303)


@bp.get("/logout-callback")
def logout_callback():
    """Back from FranceConnect's logout. A wrong state is logged; the citizen is out either way."""
    if not logout_state_matches("logout_state"):
        log.warning("franceconnect logout state mismatch")
    response = current_app.make_response(render_template("franceconnect/logged_out.html"))
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response
