"""What a token read and changed, in the access journal that agents and citizens read (AccessLog), under
the token's name; and the one path of a state change made through the API."""

from __future__ import annotations

from demarche.dossiers import transitions
from demarche.dossiers.models import Dossier, DossierEvent
from demarche.extensions import db
from demarche.models import AccessLog, ApiToken

ACTOR_PREFIX = "api:"  # DossierEvent.actor of a change made through the API: « api:<token name> »


def record(token: ApiToken, action: str, dossiers: list[Dossier], detail: dict | None = None) -> None:
    """One journal line per dossier (a list read too: each citizen then sees it), in the caller's transaction."""
    for dossier in dossiers:
        db.session.add(AccessLog(api_token_id=token.id, agent_email=None, actor_name=token.name, siret=token.siret,
                                 action=action, dossier_id=dossier.id, detail={"via": "api", **(detail or {})}))


def change_status(dossier: Dossier, token: ApiToken, to_status: str, motive: str) -> DossierEvent:
    """The API's state change: the back-office's guarded move (transitions.change_status), journaled with it.

    TransitionRefused as in the back-office; then nothing is kept, the journal line neither.
    """
    record(token, "decision", [dossier], {"vers": to_status})
    try:
        return transitions.change_status(dossier, to_status, ACTOR_PREFIX + token.name, motive)
    except transitions.TransitionRefused:
        db.session.rollback()
        raise
