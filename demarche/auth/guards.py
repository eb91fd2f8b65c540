"""Who is signed in, and the views' guards: `login_required` (a citizen, through FranceConnect) and
`agent_required` (an agent, through ProConnect, still on the allow-list at every request)."""

from __future__ import annotations

from functools import wraps

from flask import abort, g, redirect, url_for

from demarche.auth import session as auth_session
from demarche.auth.proconnect import is_authorised
from demarche.extensions import db
from demarche.identity import PivotIdentity
from demarche.models import Agent


def login_required(view):
    """Send anonymous visitors to the home page, where the FranceConnect button is."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if auth_session.citizen() is None:
            return redirect(url_for("pages.home"), code=303)
        return view(*args, **kwargs)

    return wrapper


def current_login() -> auth_session.CitizenLogin | None:
    """The citizen signed in (FranceConnect or e-mail code), for the pages' header."""
    return auth_session.citizen()


def current_identity() -> PivotIdentity | None:
    """The pivot identity FranceConnect certified for this session, if logged in."""
    login = auth_session.citizen()
    return login.identity if login else None


def agent_required(view):
    """Let through an authorised agent only; the allow-list is checked again on every request. A citizen's
    session gets 403, an anonymous visitor the ProConnect login page."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        login = auth_session.agent()
        if login is None:
            if auth_session.citizen():
                abort(403)  # a citizen's session never opens the back-office
            return redirect(url_for("proconnect.home"), code=303)
        agent = db.session.get(Agent, login.agent_id)
        if agent is None or not is_authorised(agent.email, agent.siret):
            auth_session.close()  # removed from the allow-list since the login: out now
            abort(403)
        g.agent = agent
        return view(*args, **kwargs)

    return wrapper


def current_agent() -> Agent:
    """The agent `agent_required` let through for this request."""
    return g.agent
