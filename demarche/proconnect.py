"""ProConnect login and logout for agents: the door of the back-office.

The same relying party as FranceConnect's (demarche/oidc.py for the tokens, demarche/oidc_flow.py for
state and nonce) with ProConnect's own rules (numerique-gouv/proconnect-documentation:
doc_fs/implementation_technique.md for the flow, doc_fs/scope-claims.md for the scopes,
doc_fs/projet_fca/projet_fca_niveau_eidas.md for acr_values=eidas1). An agent's session holds agent_id
and never citizen_id; the session id is rotated at login. Who may see what is decided on every request
by demarche/backoffice/access.py, against the allow-list.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, current_app, redirect, render_template, url_for

from demarche.auth import session as auth_session
from demarche.extensions import db
from demarche.models import Agent, AgentAuthorisation, utcnow
from demarche.observability import pseudonymous_key
from demarche.oidc import OidcClient, OidcError, ProviderRules, ProviderUnreachable, TokenSet
from demarche.oidc_flow import CallbackError, begin, complete, end_session, logout_state_matches

bp = Blueprint("proconnect", __name__, url_prefix="/agents")
log = logging.getLogger("demarche.proconnect")

SCOPES = ("openid", "email", "given_name", "usual_name", "siret", "uid", "idp_id")
RULES = ProviderRules(name="ProConnect", scopes=SCOPES, acr_values="eidas1",
                      accepted_acr=("eidas1", "eidas2", "eidas3"))
REQUIRED_CLAIMS = ("email", "given_name", "usual_name", "siret", "uid")  # doc_fs/donnees_fournies.md
PENDING_KEY = "pc_pending"
PURPOSE = "agent_login"

ERROR_PAGES = {
    "denied": (200, "Connexion annulée", "La connexion avec ProConnect a été interrompue."),
    "state": (400, "Votre demande de connexion a expiré",
              "Par sécurité, une demande de connexion n’est valable qu’une fois et pendant 30 minutes."),
    "protocol": (400, "La connexion n’a pas pu aboutir", "La réponse reçue de ProConnect est incomplète."),
    "verification": (400, "La connexion a été interrompue par sécurité",
                     "La réponse de ProConnect n’a pas pu être vérifiée. Aucune session n’a été ouverte."),
    "server_error": (502, "ProConnect a rencontré une erreur", "Réessayez dans quelques instants."),
    "unavailable": (503, "ProConnect est momentanément indisponible", "Réessayez dans quelques minutes."),
    "configuration": (400, "La connexion avec ProConnect a échoué",
                      "ProConnect a refusé la demande du service. Prévenez l’administrateur du service."),
}


def init_app(app: Flask, settings) -> None:
    """Create the ProConnect client and the agents' routes, only when ProConnect is configured."""
    if not settings.backoffice:
        return
    app.extensions["proconnect"] = OidcClient(settings.pc_issuer, settings.pc_client_id,
                                              settings.pc_client_secret, RULES)
    app.register_blueprint(bp)


def client() -> OidcClient:
    return current_app.extensions["proconnect"]


def error_page(kind: str):
    status, title, message = ERROR_PAGES[kind]
    return render_template("backoffice/login_error.html", title=title, message=message), status


@bp.get("/")
def home():
    """The back-office's front door: the ProConnect button, or the dossiers for an agent already in."""
    if auth_session.agent():
        return redirect(url_for("backoffice.dossiers"), code=303)
    return render_template("backoffice/login.html")


@bp.post("/connexion")
def login():
    """Start a ProConnect login (POST with a CSRF token: no login CSRF)."""
    redirect_uri = current_app.config["PUBLIC_URL"] + url_for("proconnect.callback")
    try:
        url = begin(client(), PENDING_KEY, PURPOSE, SCOPES, redirect_uri)
    except OidcError as error:
        log.warning("proconnect discovery failed", extra={"context": {"reason": error.reason}})
        return error_page("unavailable")
    return redirect(url, code=303)


@bp.get("/callback")
def callback():
    """ProConnect's redirect back: verify everything, check the allow-list, then open an agent session."""
    try:
        tokens = complete(client(), PENDING_KEY, PURPOSE)
        userinfo = client().fetch_userinfo(tokens.access_token, expected_sub=tokens.id_claims["sub"])
    except CallbackError as error:
        log.warning("proconnect login refused", extra={"context": {"reason": error.reason}})
        return error_page(error.kind)
    except OidcError as error:
        log.warning("proconnect userinfo refused", extra={"context": {"reason": error.reason}})
        return error_page("unavailable" if isinstance(error, ProviderUnreachable) else "verification")
    if any(not str(userinfo.get(claim) or "").strip() for claim in REQUIRED_CLAIMS):
        log.warning("proconnect userinfo incomplete")
        return error_page("verification")
    agent = _remember_agent(tokens.id_claims["sub"], userinfo)
    if not is_authorised(agent.email, agent.siret):
        log.warning("agent not on the allow-list", extra={"context": {"agent_key": _agent_key(agent)}})
        return render_template("backoffice/not_authorised.html", agent=agent), 403
    _open_agent_session(agent, tokens)
    return redirect(url_for("backoffice.dossiers"), code=303)


def is_authorised(email: str, siret: str) -> bool:
    """Whether this (e-mail, SIRET) pair is on the allow-list (table agent_authorisation)."""
    return db.session.scalar(db.select(AgentAuthorisation.id)
                             .filter_by(email=email.strip().lower(), siret=siret)) is not None


def _remember_agent(sub: str, userinfo: dict) -> Agent:
    """Find or create the agent by (issuer, sub); refresh what ProConnect says about them."""
    agent = db.session.scalar(db.select(Agent).filter_by(issuer=client().issuer, sub=sub))
    if agent is None:
        agent = Agent(issuer=client().issuer, sub=sub)
        db.session.add(agent)
    agent.email, agent.siret = userinfo["email"].strip().lower(), str(userinfo["siret"]).strip()
    agent.given_name, agent.usual_name = userinfo["given_name"], userinfo["usual_name"]
    agent.uid, agent.idp_id = str(userinfo["uid"]), str(userinfo.get("idp_id") or "")
    agent.last_login_at = utcnow()
    db.session.commit()
    return agent


def _agent_key(agent: Agent) -> str:
    return pseudonymous_key(f"agent:{agent.sub}")


def _open_agent_session(agent: Agent, tokens: TokenSet) -> None:
    """A fresh session (new id: no fixation) holding the agent, never a citizen."""
    login = auth_session.AgentLogin(agent_id=agent.id, user_key=_agent_key(agent), id_token=tokens.id_token,
                                    acr=tokens.id_claims.get("acr"))
    auth_session.open_agent(login)
    log.info("proconnect login", extra={"context": {"user_key": login.user_key}})


@bp.post("/deconnexion")
def logout():
    """End the local session first, then ProConnect's (RP-initiated logout, §2.4 of the doc)."""
    login = auth_session.agent()
    id_token = login.id_token if login else None
    auth_session.close()
    callback = current_app.config["PUBLIC_URL"] + url_for("proconnect.logout_callback")
    url = end_session(client(), id_token, "pc_logout_state", callback)
    return redirect(url or url_for("proconnect.logout_callback"), code=303)


@bp.get("/deconnexion/retour")
def logout_callback():
    """Back from ProConnect's logout. A wrong state is logged; the agent is out either way."""
    if not logout_state_matches("pc_logout_state"):
        log.warning("proconnect logout state mismatch")
    response = current_app.make_response(render_template("backoffice/logged_out.html"))
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response
