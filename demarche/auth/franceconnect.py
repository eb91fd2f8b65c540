"""FranceConnect v2 login and logout for citizens: what differs from ProConnect, over demarche/auth/federation.py.

FranceConnect's rules (eidas1, the identite_pivot scope, a signed userinfo):
https://docs.partenaires.franceconnect.gouv.fr/fs/fs-technique/fs-technique-endpoints/ and
https://docs.partenaires.franceconnect.gouv.fr/fs/fs-technique/fs-technique-scope-fc/ .
Each verified step is announced on demarche/signals.py for the demo's trace; this module never calls it.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, redirect, url_for
from sqlalchemy.exc import IntegrityError

from demarche import signals
from demarche.auth import session as auth_session
from demarche.auth.federation import Federation
from demarche.auth.flow import CallbackError
from demarche.auth.oidc import OidcClient, ProviderRules, TokenSet
from demarche.extensions import db
from demarche.identity import PivotIdentity
from demarche.models import Citizen, utcnow
from demarche.observability import pseudonymous_key

__all__ = ["CallbackError", "bp", "client", "finish_authorization", "init_app", "start_authorization"]

bp = Blueprint("franceconnect", __name__, url_prefix="/franceconnect")
log = logging.getLogger("demarche.franceconnect")

LOGIN_SCOPES = ("openid", "identite_pivot", "email")
RULES = ProviderRules(name="FranceConnect", scopes=LOGIN_SCOPES, acr_values="eidas1", accepted_acr=("eidas1",))
IDENTITY = "identity"  # the login's purpose; the journey's data request is "data" (signals.py senders)


class FranceConnect(Federation):
    """FranceConnect announces each step (signals.py): the demo's coulisses listen, nothing else does."""

    def announce_authorization(self, purpose: str, url: str) -> None:
        signals.authorization_started.send(purpose, url=url)

    def announce_tokens(self, purpose: str, tokens: TokenSet) -> None:
        signals.tokens_verified.send(purpose, tokens=tokens)

    def announce_userinfo(self, purpose: str, claims: dict) -> None:
        signals.userinfo_verified.send(purpose, claims=claims)


FEDERATION = FranceConnect(
    name="FranceConnect", blueprint="franceconnect", pending_key="oidc_pending", logout_state_key="logout_state",
    error_template="franceconnect/error.html", logged_out_template="franceconnect/logged_out.html",
    contact="contactez la mairie")


def init_app(app: Flask) -> None:
    """Create the FranceConnect client of this app (discovery happens at first use)."""
    settings = app.config["SETTINGS"]
    app.extensions["franceconnect"] = OidcClient(
        settings.fc_issuer, settings.fc_client_id, settings.fc_client_secret, RULES
    )
    app.register_blueprint(bp)


def client() -> OidcClient:
    return FEDERATION.client()


def start_authorization(purpose: str, scopes: tuple[str, ...], callback_endpoint: str):
    """Redirect to FranceConnect (the journey's data request uses it too), or its French error page."""
    return FEDERATION.start(purpose, scopes, callback_endpoint)


def finish_authorization(purpose: str) -> TokenSet:
    """Check state (first), iss, error; exchange the code; verify the ID token. Raise CallbackError."""
    return FEDERATION.finish(purpose)


def error_page(kind: str):
    return FEDERATION.error_page(kind)


@bp.post("/login")
def login():
    """Start a FranceConnect login (POST with a CSRF token: no login CSRF)."""
    return FEDERATION.start(IDENTITY, LOGIN_SCOPES, "franceconnect.callback")


@bp.get("/callback")
def callback():
    """FranceConnect's redirect back: verify everything, then open a fresh session."""
    try:
        tokens = FEDERATION.finish(IDENTITY)
        userinfo = FEDERATION.userinfo(IDENTITY, tokens)
    except CallbackError as error:
        return FEDERATION.refuse(error)
    open_citizen_session(tokens, PivotIdentity.from_claims(userinfo))
    return redirect(url_for("pages.start"), code=303)


def open_citizen_session(tokens: TokenSet, identity: PivotIdentity) -> None:
    """Find or create the citizen by (issuer, sub) and rotate the session id (fixation)."""
    sub = tokens.id_claims["sub"]
    citizen = _known_citizen(sub) or _new_citizen(sub)
    citizen.last_login_at = utcnow()
    db.session.commit()
    login = auth_session.CitizenLogin(
        citizen_id=citizen.id, user_key=pseudonymous_key(sub), identity=identity, sub=sub, id_token=tokens.id_token,
        acr=tokens.id_claims.get("acr"), auth_time=tokens.id_claims.get("auth_time") or tokens.id_claims.get("iat"))
    auth_session.open_citizen(login)
    signals.citizen_signed_in.send(citizen.id, identity=identity)
    log.info("franceconnect login", extra={"context": {"user_key": login.user_key}})


def _known_citizen(sub: str) -> Citizen | None:
    return db.session.scalar(db.select(Citizen).filter_by(issuer=client().issuer, sub=sub))


def _new_citizen(sub: str) -> Citizen:
    """Create the citizen; when another request of the same person created it meanwhile (two first logins at
    once, two tabs), the unique (issuer, sub) refuses ours and theirs is taken: never a 500."""
    citizen = Citizen(issuer=client().issuer, sub=sub, last_login_at=utcnow())
    db.session.add(citizen)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = _known_citizen(sub)
        if existing is None:
            raise
        return existing
    return citizen


@bp.post("/logout")
def logout():
    """End the local session first, then FranceConnect's."""
    login = auth_session.citizen()
    return FEDERATION.logout(login.id_token if login else None)


@bp.get("/logout-callback")
def logout_callback():
    """Back from FranceConnect's logout: the citizen is out either way."""
    return FEDERATION.logout_callback()
