"""The messagerie's rules, without Flask requests: what a message may contain, posting it (with the
citizen's e-mail notice), reading a thread, and the unread markers of each side."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from demarche import freetext
from demarche.dossiers import notices as dossier_notices
from demarche.dossiers import retention
from demarche.dossiers.models import Dossier
from demarche.dossiers.settings import settings
from demarche.extensions import db
from demarche.messages import notices
from demarche.messages.models import DossierMessage, MessageThread
from demarche.messages.unread import SIDES, unread_counts  # noqa: F401 - the package's unread counts
from demarche.models import Agent, utcnow
from demarche.procedures import PROCEDURES

MAX_LENGTH = 2000


class MessageRefused(ValueError):
    """The text cannot be sent; str(error) says why, in French."""


def clean(text: str) -> str:
    """The text as stored: newlines normalised, trimmed; refused if empty or against the free-text rule."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise MessageRefused("Écrivez votre message avant de l’envoyer.")
    try:
        return freetext.clean(text, multiline=True, max_length=MAX_LENGTH)
    except freetext.TextRefused as refused:
        raise MessageRefused(str(refused)) from None


def thread(dossier_id: int) -> list[DossierMessage]:
    """The messages of a dossier, oldest first."""
    return list(db.session.scalars(select(DossierMessage).filter_by(dossier_id=dossier_id)
                                   .order_by(DossierMessage.at, DossierMessage.id)))


def post(dossier: Dossier, text: str, agent: Agent | None = None) -> DossierMessage:
    """Store a message from the citizen (agent None) or an agent, and commit.

    The author's side has read the thread; the other side gets an e-mail notice with a link, never the text:
    the citizen for an agent's message, the organisation's agents (its allow-list) for the citizen's, at most
    once per dossier per quiet period (demarche/messages/notices.py).
    """
    now = utcnow()
    message = DossierMessage(dossier_id=dossier.id, at=now, author="agent" if agent else "usager", body=clean(text),
                             agent_id=agent.id if agent else None, agent_name=agent.full_name if agent else None)
    db.session.add(message)
    thread = _mark(dossier.id, "agent" if agent else "citizen", now)
    if agent is not None:
        link = settings().public_url + url_for("messages.citizen_thread",
                                                                   reference=dossier.reference)
        dossier_notices.queue_message_notice(PROCEDURES.get(dossier.procedure), dossier, link)
    else:
        notices.citizen_wrote(dossier, thread, now)  # at most one notice per dossier per quiet period
    db.session.commit()
    return message


def read(dossier: Dossier, side: str) -> int:
    """Mark the thread read by this side (not committed); how many messages were unread."""
    unread = unread_counts([dossier.id], side).get(dossier.id, 0)
    _mark(dossier.id, side, utcnow())
    return unread


def _mark(dossier_id: int, side: str, at) -> MessageThread:
    row = db.session.get(MessageThread, dossier_id) or MessageThread(dossier_id=dossier_id)
    setattr(row, f"{side}_read_at", at)
    db.session.add(row)
    return row


@retention.attached
def forget(dossier_ids: list[int]) -> dict[str, int]:
    """A purged dossier's thread goes with it (demarche/dossiers/retention.py)."""
    count = db.session.execute(db.delete(DossierMessage).where(DossierMessage.dossier_id.in_(dossier_ids))
                               .execution_options(synchronize_session=False)).rowcount
    db.session.execute(db.delete(MessageThread).where(MessageThread.dossier_id.in_(dossier_ids))
                       .execution_options(synchronize_session=False))
    return {"messages": count}
