"""Typed SQLAlchemy 2.0 models. Times are naive UTC (see utcnow) on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from demarche.extensions import db


def utcnow() -> datetime:
    """Naive UTC now: SQLite drops time zones, so every stored time is naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


class Citizen(db.Model):
    """A person known through FranceConnect, keyed by (issuer, sub) and nothing else.

    The e-mail and the pivot identity are never identifiers (FranceConnect qualification point 17).
    """

    __tablename__ = "citizen"
    __table_args__ = (UniqueConstraint("issuer", "sub", name="uq_citizen_issuer_sub"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(255))
    sub: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class WebSession(db.Model):
    """A server-side session. The cookie holds a random token; only its SHA-256 is stored here."""

    __tablename__ = "web_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizen.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
