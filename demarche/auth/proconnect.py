"""ProConnect login and logout for agents (the door of the back-office): what differs from FranceConnect.

ProConnect's rules (https://github.com/numerique-gouv/proconnect-documentation, doc_fs/): the flow in
implementation_technique.md, the scopes in scope-claims.md, the claims and acr values in
donnees_fournies.md, double authentication in double_authentification.md. An agent's session holds
agent_id and never citizen_id; who may see what is decided on every request by
demarche/dossiers/access.py, against the allow-list.
"""

from __future__ import annotations

import json
import logging

from flask import Blueprint, Flask, current_app, redirect, render_template, url_for

from demarche.auth import session as auth_session
from demarche.auth.federation import Federation
from demarche.auth.flow import CallbackError
from demarche.auth.oidc import OidcClient, ProviderRules, TokenSet
from demarche.extensions import db
from demarche.models import Agent, AgentAuthorisation, utcnow
from demarche.observability import pseudonymous_key

bp = Blueprint("proconnect", __name__, url_prefix="/agents")
log = logging.getLogger("demarche.proconnect")

SCOPES = ("openid", "email", "given_name", "usual_name", "siret", "uid", "idp_id")
REQUIRED_CLAIMS = ("email", "given_name", "usual_name", "siret", "uid")  # non-empty strings: donnees_fournies.md
# Every acr ProConnect returns since 2026-06-18 (donnees_fournies.md); "-mfa" and eidas2/eidas3 mean a
# second factor was used (double_authentification.md).
ACR_VALUES = ("eidas0", "eidas0-mfa", "eidas1", "eidas1-mfa", "eidas2", "eidas3")
MFA_ACR = ("eidas0-mfa", "eidas1-mfa", "eidas2", "eidas3")
PURPOSE = "agent_login"
FEDERATION = Federation(
    name="ProConnect", blueprint="proconnect", pending_key="pc_pending", logout_state_key="pc_logout_state",
    error_template="backoffice/login_error.html", logged_out_template="backoffice/logged_out.html",
    contact="prévenez l’administrateur du service")


def rules(require_mfa: bool) -> ProviderRules:
    """ProConnect's rules; with PROCONNECT_REQUIRE_MFA, ask for a second factor as an essential acr claim
    (OpenID Connect Core section 5.5.1.1, https://openid.net/specs/openid-connect-core-1_0.html#acrSemantics)."""
    if not require_mfa:
        return ProviderRules(name="ProConnect", scopes=SCOPES, acr_values="eidas1", accepted_acr=ACR_VALUES)
    claims = {"id_token": {"acr": {"essential": True, "values": list(MFA_ACR)}}}
    return ProviderRules(name="ProConnect", scopes=SCOPES, accepted_acr=ACR_VALUES,
                         extra_params={"claims": json.dumps(claims, separators=(",", ":"))})


def init_app(app: Flask) -> None:
    """Create the ProConnect client and the agents' routes, only when ProConnect is configured."""
    settings = app.config["SETTINGS"]
    if not settings.backoffice:
        return
    app.extensions["proconnect"] = OidcClient(settings.pc_issuer, settings.pc_client_id,
                                              settings.pc_client_secret, rules(settings.pc_require_mfa))
    app.extensions["proconnect_require_mfa"] = settings.pc_require_mfa
    app.register_blueprint(bp)


def client() -> OidcClient:
    return FEDERATION.client()


@bp.app_context_processor
def _mfa_levels() -> dict:
    """The acr values that mean a second factor, for the access journal's page."""
    return {"proconnect_mfa_acr": MFA_ACR}


@bp.get("/")
def home():
    """The back-office's front door: the ProConnect button, or the dossiers for an agent already in."""
    if auth_session.agent():
        return redirect(url_for("backoffice.dossiers"), code=303)
    return render_template("backoffice/login.html")


@bp.post("/connexion")
def login():
    """Start a ProConnect login (POST with a CSRF token: no login CSRF)."""
    return FEDERATION.start(PURPOSE, SCOPES)


@bp.get("/callback")
def callback():
    """ProConnect's redirect back: verify everything, the second factor if required, the allow-list."""
    try:
        tokens = FEDERATION.finish(PURPOSE)
        if not _second_factor_ok(tokens):
            log.warning("proconnect login without a second factor", extra={"context": {
                "acr": tokens.id_claims.get("acr")}})
            return render_template("backoffice/mfa_required.html"), 403
        userinfo = FEDERATION.userinfo(PURPOSE, tokens)
    except CallbackError as error:
        return FEDERATION.refuse(error)
    if any(not isinstance(userinfo.get(claim), str) or not userinfo[claim].strip() for claim in REQUIRED_CLAIMS):
        return FEDERATION.refuse(CallbackError("verification", "userinfo incomplete"))
    agent = _remember_agent(tokens.id_claims["sub"], userinfo)
    if not is_authorised(agent.email, agent.siret):
        log.warning("agent not on the allow-list", extra={"context": {"agent_key": _agent_key(agent)}})
        return render_template("backoffice/not_authorised.html", agent=agent), 403
    _open_agent_session(agent, tokens)
    return redirect(url_for("backoffice.dossiers"), code=303)


def _second_factor_ok(tokens: TokenSet) -> bool:
    """Whether this login meets PROCONNECT_REQUIRE_MFA (always, when the setting is off)."""
    return not current_app.extensions["proconnect_require_mfa"] or tokens.id_claims.get("acr") in MFA_ACR


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
    """End the local session first, then ProConnect's (RP-initiated logout)."""
    login = auth_session.agent()
    return FEDERATION.logout(login.id_token if login else None)


@bp.get("/deconnexion/retour")
def logout_callback():
    """Back from ProConnect's logout: the agent is out either way."""
    return FEDERATION.logout_callback()
