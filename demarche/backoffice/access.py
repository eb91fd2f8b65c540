"""Who may see what in the back-office, and the journal of what they saw.

An agent session (agent_id) whose (e-mail, SIRET) is still on the allow-list sees the dossiers of that
SIRET and nothing else. A citizen session gets 403 and an anonymous visitor the login page; another
organisation's dossier answers 404, like a reference that does not exist.
"""

from __future__ import annotations

from functools import wraps

from flask import abort, g, redirect, url_for

from demarche.auth import session as auth_session
from demarche.auth.proconnect import is_authorised
from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.models import AccessLog, Agent
from demarche.validation import is_reference


def agent_required(view):
    """Let through an authorised agent only; the allow-list is checked again on every request."""

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
    return g.agent


def dossier_for_agent(reference: str) -> Dossier:
    """The dossier with this reference if it belongs to the agent's organisation, else 404."""
    if not is_reference(reference):
        abort(404)  # before any query: PostgreSQL refuses a NUL in a string
    dossier = db.session.scalar(db.select(Dossier).filter_by(reference=reference,
                                                             organisation_siret=current_agent().siret))
    return dossier or abort(404)


def record(action: str, dossier: Dossier | None = None, detail: dict | None = None) -> None:
    """Add a line to the access journal (committed with the caller's transaction)."""
    agent, login = current_agent(), auth_session.agent()
    db.session.add(AccessLog(agent_id=agent.id, agent_email=agent.email, actor_name=agent.full_name,
                             siret=agent.siret, action=action, dossier_id=dossier.id if dossier else None,
                             detail=detail or {}, acr=login.acr if login else None))


def journal_query(siret: str):
    """The journal of one organisation, newest first."""
    return db.select(AccessLog).filter_by(siret=siret).order_by(AccessLog.at.desc(), AccessLog.id.desc())
