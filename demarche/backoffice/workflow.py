"""Instruction: move a dossier along déposé → en instruction → accepté / refusé / classé sans suite.

Each move is one transaction: the new status, the event (who, when, from, to, why), the e-mail to the
citizen (demarche/mail.py outbox) and the webhook event (demarche/webhooks) are committed together. A move
that another agent made first is refused rather than overwritten.
"""

from __future__ import annotations

from sqlalchemy import update

from demarche import mail
from demarche.extensions import db
from demarche.models import Agent, Dossier, DossierEvent, utcnow
from demarche.procedures import PROCEDURES
from demarche.statuses import DECISIONS, TRANSITIONS
from demarche.webhooks import events as webhook_events


class TransitionRefused(Exception):
    """The move cannot be made; `reason` is not_allowed, motive_required or conflict."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def allowed_moves(dossier: Dossier) -> dict[str, str]:
    """The statuses this dossier can move to, with the button's verb."""
    return TRANSITIONS.get(dossier.status, {})


def move(dossier: Dossier, to_status: str, agent: Agent, motive: str = "") -> DossierEvent:
    """An agent's move in the back-office: the event's actor is the agent's e-mail."""
    return change_status(dossier, to_status, agent.email, motive)


def change_status(dossier: Dossier, to_status: str, actor: str, motive: str = "") -> DossierEvent:
    """Change the status, record the event, queue the e-mail; commit. TransitionRefused otherwise.

    The one path of every status change, from the back-office (move) and from the API (demarche/api):
    whatever the caller added to the session (its journal line) is committed or rolled back with it.
    """
    motive = motive.strip()
    if to_status not in allowed_moves(dossier):
        raise TransitionRefused("not_allowed")
    if to_status in DECISIONS and not motive:
        raise TransitionRefused("motive_required")
    from_status, now = dossier.status, utcnow()
    changed = db.session.execute(
        update(Dossier).where(Dossier.id == dossier.id, Dossier.status == from_status)
        .values(status=to_status, updated_at=now)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise TransitionRefused("conflict")
    db.session.expire(dossier)
    event = DossierEvent(dossier_id=dossier.id, at=now, actor=actor, kind="status_changed",
                         from_status=from_status, to_status=to_status, motive=motive or None)
    db.session.add(event)
    mail.queue_status(PROCEDURES.get(dossier.procedure), dossier, motive or None)
    webhook_events.record("dossier.statut_modifie", dossier, previous_status=from_status)
    db.session.commit()
    return event
