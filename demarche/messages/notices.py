"""The organisation's e-mail notices of a citizen's messages: at most one per dossier per quiet period. The first
message after a quiet period is notified at once; those written during the period go out together, in one digest
when it ends, unless an agent has read them by then (docs/securite.md, « Menaces et contrôles »)."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, url_for
from sqlalchemy import select, update

from demarche import tasks
from demarche.dossiers import notices as dossier_notices
from demarche.dossiers.models import Dossier
from demarche.dossiers.settings import settings
from demarche.extensions import db
from demarche.messages.models import MessageThread
from demarche.messages.unread import unread_counts
from demarche.models import AgentAuthorisation, utcnow
from demarche.procedures import PROCEDURES

QUIET = timedelta(minutes=30)


def citizen_wrote(dossier: Dossier, thread: MessageThread, now: datetime) -> None:
    """In the message's transaction: notify the agents now, or leave the message to the period's digest."""
    if thread.agents_notified_at is None or thread.agents_notified_at + QUIET <= now:
        _notify(dossier, thread, now, count=1)
    elif thread.agents_digest_due_at is None:
        thread.agents_digest_due_at = thread.agents_notified_at + QUIET


def _notify(dossier: Dossier, thread: MessageThread, now: datetime, count: int) -> None:
    link = settings().public_url + url_for("backoffice.dossier", reference=dossier.reference)
    agents = db.session.scalars(select(AgentAuthorisation.email).filter_by(siret=dossier.organisation_siret))
    dossier_notices.queue_agents_message_notice(PROCEDURES.get(dossier.procedure), dossier, link, sorted(set(agents)),
                                                count)
    thread.agents_notified_at, thread.agents_digest_due_at = now, None


@tasks.job("message_digest")
def send_digest(dossier_id: int) -> None:
    """The queue's job: claim the dossier's due digest (one sender only), then e-mail the agents the number of
    messages they have not read yet; nothing if they read them meanwhile."""
    now = utcnow()
    claimed = db.session.execute(update(MessageThread).where(
        MessageThread.dossier_id == dossier_id, MessageThread.agents_digest_due_at <= now,
    ).values(agents_digest_due_at=None)).rowcount
    unread = unread_counts([dossier_id], "agent").get(dossier_id, 0) if claimed else 0
    dossier = db.session.get(Dossier, dossier_id) if unread else None
    if dossier is not None:
        with current_app.test_request_context():  # the link outside a request (the queue's worker)
            _notify(dossier, db.session.get(MessageThread, dossier_id), now, unread)
    db.session.commit()


@tasks.relay_source
def due_digests(cutoff: datetime) -> list[tuple[str, int]]:
    """Every minute, the relay hands over the digests whose quiet period has ended."""
    ids = db.session.scalars(select(MessageThread.dossier_id).where(MessageThread.agents_digest_due_at <= cutoff)
                             .order_by(MessageThread.agents_digest_due_at).limit(200)).all()
    return [("message_digest", dossier_id) for dossier_id in ids]
