"""Instruction: move a dossier along déposé → en instruction → accepté / refusé / classé sans suite, with the
correction loop (en instruction → en attente de correction → en instruction, once the citizen confirms).

Each move is one transaction: the new status, the event (who, when, from, to, why, what changed), the e-mail to
the citizen (demarche/mail.py outbox) and the webhook events (demarche/webhooks) are committed together. A move
that another agent made first is refused rather than overwritten.
"""

from __future__ import annotations

from flask import url_for
from sqlalchemy import update

from demarche.dossiers import notices
from demarche.dossiers.models import Dossier, DossierEvent
from demarche.dossiers.states import CORRECTION, DECISIONS, NEEDS_MOTIVE, TRANSITIONS
from demarche.extensions import db
from demarche.models import Agent, utcnow
from demarche.procedures import PROCEDURES
from demarche.webhooks import events as webhook_events


class TransitionRefused(Exception):
    """The move cannot be made; `reason` is not_allowed, motive_required, conflict or awaiting_correction."""

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

    The one path of every status change an agent makes, from the back-office (move) and from the API
    (demarche/api): whatever the caller added to the session (its journal line) is committed or rolled back
    with it. A dossier waiting for the citizen's correction cannot be decided.
    """
    motive = motive.strip()
    if dossier.status == CORRECTION and to_status in DECISIONS:
        raise TransitionRefused("awaiting_correction")
    if to_status not in allowed_moves(dossier):
        raise TransitionRefused("not_allowed")
    if to_status in NEEDS_MOTIVE and not motive:
        raise TransitionRefused("motive_required")
    requested = to_status == CORRECTION
    event = _move(dossier, to_status, actor, "correction_requested" if requested else "status_changed",
                  motive=motive or None)
    procedure = PROCEDURES.get(dossier.procedure)
    if requested:
        link = url_for("corrections.correct", reference=dossier.reference)
        notices.queue_correction_request(procedure, dossier, motive, link)
        webhook_events.record("dossier.correction_demandee", dossier, previous_status=event.from_status)
    else:
        notices.queue_status(procedure, dossier, motive or None)
    webhook_events.record("dossier.statut_modifie", dossier, previous_status=event.from_status)
    db.session.commit()
    return event


def confirm_correction(dossier: Dossier, changes: list[dict], **values) -> DossierEvent:
    """The citizen's « J’ai effectué les corrections »: the corrected answers (`values`: answers, form_data,
    and certified + consent_id after a new consent) are saved and the dossier is back « en instruction »."""
    if dossier.status != CORRECTION:
        raise TransitionRefused("not_allowed")
    event = _move(dossier, "en_instruction", "usager", "corrected", changes=changes, **values)
    notices.queue_status(PROCEDURES.get(dossier.procedure), dossier, None)
    webhook_events.record("dossier.correction_effectuee", dossier, previous_status=event.from_status)
    webhook_events.record("dossier.statut_modifie", dossier, previous_status=event.from_status)
    db.session.commit()
    return event


def _move(dossier: Dossier, to_status: str, actor: str, kind: str, *, motive: str | None = None,
          changes: list[dict] | None = None, **values) -> DossierEvent:
    """The guarded UPDATE (only from the status read) and its event, in the current transaction."""
    from_status, now = dossier.status, utcnow()
    changed = db.session.execute(
        update(Dossier).where(Dossier.id == dossier.id, Dossier.status == from_status)
        .values(status=to_status, updated_at=now, **values)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise TransitionRefused("conflict")
    db.session.expire(dossier)
    event = DossierEvent(dossier_id=dossier.id, at=now, actor=actor, kind=kind, from_status=from_status,
                         to_status=to_status, motive=motive, changes=changes)
    db.session.add(event)
    return event
