"""The messagerie's tables: the messages of a dossier's thread, and when each side last read it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from demarche.extensions import db
from demarche.models import utcnow


class DossierMessage(db.Model):
    """One message of a dossier's thread, text only (never an attachment), purged with the dossier."""

    __tablename__ = "dossier_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    author: Mapped[str] = mapped_column(String(16))  # usager | agent
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agent.id", ondelete="SET NULL"))
    agent_name: Mapped[str | None] = mapped_column(String(255))  # kept if the agent row goes
    body: Mapped[str] = mapped_column(Text)


class MessageThread(db.Model):
    """When the citizen and the organisation's agents last read the thread (the unread markers), and the
    agents' notices: the last one sent, and when the digest of the citizen's messages since is due."""

    __tablename__ = "message_thread"

    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), primary_key=True)
    citizen_read_at: Mapped[datetime | None] = mapped_column(DateTime)
    agent_read_at: Mapped[datetime | None] = mapped_column(DateTime)
    agents_notified_at: Mapped[datetime | None] = mapped_column(DateTime)
    agents_digest_due_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
