"""Tables of the webhooks: endpoints per organisation, events, one delivery per (event, endpoint), its attempts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from demarche.encryption import EncryptedString
from demarche.extensions import db
from demarche.models import utcnow


class WebhookEndpoint(db.Model):
    """A URL an organisation (SIRET) registered, for all its démarches or one; signed with its secret."""

    __tablename__ = "webhook_endpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    siret: Mapped[str] = mapped_column(String(14), index=True)
    procedure: Mapped[str | None] = mapped_column(String(64))  # None: every démarche of the organisation
    url: Mapped[str] = mapped_column(String(2048))
    # The HMAC key must be readable to sign: stored encrypted with DATA_ENCRYPTION_KEYS (demarche/encryption.py),
    # so that a database dump alone does not let anyone forge the service's webhooks.
    secret: Mapped[str] = mapped_column(EncryptedString(512))
    previous_secret: Mapped[str | None] = mapped_column(EncryptedString(512))  # still signs during a rotation
    previous_secret_until: Mapped[datetime | None] = mapped_column(DateTime)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class WebhookEvent(db.Model):
    """Something that happened to a dossier, as sent: the exact body signed, and its id (webhook-id)."""

    __tablename__ = "webhook_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(64), unique=True)
    type: Mapped[str] = mapped_column(String(64))
    dossier_reference: Mapped[str] = mapped_column(String(32), index=True)
    procedure: Mapped[str] = mapped_column(String(64))
    siret: Mapped[str] = mapped_column(String(14), index=True)
    body: Mapped[str] = mapped_column(Text)  # JSON, no personal data
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class WebhookDelivery(db.Model):
    """One event to one endpoint: pending until a 2xx, in order per (endpoint, dossier); failed after the retries."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (Index("ix_webhook_delivery_stream", "endpoint_id", "dossier_reference", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("webhook_event.id", ondelete="CASCADE"), index=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoint.id", ondelete="CASCADE"))
    dossier_reference: Mapped[str] = mapped_column(String(32))  # the ordering key, copied from the event
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)  # pending|delivered|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    locked_at: Mapped[datetime | None] = mapped_column(DateTime)  # a worker is sending it
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    event: Mapped[WebhookEvent] = relationship(lazy="joined")
    endpoint: Mapped[WebhookEndpoint] = relationship(lazy="joined")


class WebhookAttempt(db.Model):
    """One HTTP attempt of a delivery, for the agents' delivery log: when, the answer or the error, how long."""

    __tablename__ = "webhook_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("webhook_delivery.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(255))  # French, shown to agents; never the response body
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
