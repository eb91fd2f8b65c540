"""Which dossiers an agent may see, and the journal of what they saw.

An agent (demarche/auth/guards.py agent_required) sees the dossiers of their organisation's SIRET and nothing
else: another organisation's dossier answers 404, like a reference that does not exist.
"""

from __future__ import annotations

from flask import abort

from demarche.auth import session as auth_session
from demarche.auth.guards import current_agent
from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.models import AccessLog
from demarche.validation import is_reference


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
