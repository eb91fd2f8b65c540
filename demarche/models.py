"""Typed SQLAlchemy 2.0 models. Times are naive UTC (see utcnow) on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, false
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


class ConsentRecord(db.Model):
    """The citizen's explicit choice before any call to API Particulier (ASVS V8.3.3).

    Recorded whatever the answer: accepted or refused, then the outcome of the data fetch.
    """

    __tablename__ = "consent_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id", ondelete="CASCADE"), index=True)
    citizen_key: Mapped[str] = mapped_column(String(32))  # pseudonymous key, as in the logs
    procedure: Mapped[str] = mapped_column(String(64))
    text_version: Mapped[str] = mapped_column(String(32))
    categories: Mapped[list] = mapped_column(JSON)
    decision: Mapped[str] = mapped_column(String(16))  # accepted | refused
    modality: Mapped[str] = mapped_column(String(32))  # france_connect | identite | none
    recipient: Mapped[str] = mapped_column(String(14))
    outcome: Mapped[str] = mapped_column(String(32))  # pending | success | partial | not_found | failed | ...
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    outcome_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The sources the citizen ticked (e.g. ["quotient_familial", "revenu_fiscal"]); None before revision 0009.
    sources: Mapped[list | None] = mapped_column(JSON)
    kind: Mapped[str | None] = mapped_column(String(16), default="prefill")  # prefill | refresh


class Prefill(db.Model):
    """A draft: the certified data fetched for one démarche, kept server-side until submission.

    Certified values reach a dossier only from here, never from the submitted form.
    """

    __tablename__ = "prefill"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id", ondelete="CASCADE"), index=True)
    procedure: Mapped[str] = mapped_column(String(64))
    consent_id: Mapped[int] = mapped_column(ForeignKey("consent_record.id", ondelete="CASCADE"))
    mode: Mapped[str] = mapped_column(String(16))  # certified | manual
    certified: Mapped[dict] = mapped_column(JSON, default=dict)  # {source: {data, provenance}}
    failures: Mapped[dict] = mapped_column(JSON, default=dict)  # {source: kind}
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    refreshed_at: Mapped[datetime | None] = mapped_column(DateTime)  # the certified data fetched again


class Agent(db.Model):
    """A public agent known through ProConnect, keyed by (issuer, sub); the rest is refreshed at each login."""

    __tablename__ = "agent"
    __table_args__ = (UniqueConstraint("issuer", "sub", name="uq_agent_issuer_sub"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(255))
    sub: Mapped[str] = mapped_column(String(255))
    email: Mapped[str] = mapped_column(String(320))
    given_name: Mapped[str] = mapped_column(String(255))
    usual_name: Mapped[str] = mapped_column(String(255))
    siret: Mapped[str] = mapped_column(String(14))
    uid: Mapped[str] = mapped_column(String(255))
    idp_id: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.usual_name}"


class AgentAuthorisation(db.Model):
    """The allow-list: this e-mail may instruct the dossiers of this organisation (flask agents add)."""

    __tablename__ = "agent_authorisation"
    __table_args__ = (UniqueConstraint("email", "siret", name="uq_agent_authorisation_email_siret"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))  # lower case
    siret: Mapped[str] = mapped_column(String(14))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64), default="cli")
    # May also file for a person present at the desk (demarche/counter): an authorisation of its own.
    counter_filing: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class AccessLog(db.Model):
    """The access journal: which agent or API token opened which dossier, exported what, decided, and when."""

    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agent.id", ondelete="SET NULL"))
    agent_email: Mapped[str | None] = mapped_column(String(320))  # kept if the agent row goes; None for a token
    api_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_token.id", ondelete="SET NULL"))
    actor_name: Mapped[str | None] = mapped_column(String(255))  # the agent's full name or the token's name
    siret: Mapped[str] = mapped_column(String(14), index=True)
    action: Mapped[str] = mapped_column(String(32))  # view | list | export | decision
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), index=True)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)  # export: format, filters, count, references
    acr: Mapped[str | None] = mapped_column(String(64))  # the agent's ProConnect login level (eidas1-mfa…)


class OutboxMessage(db.Model):
    """An e-mail to send, written in the same transaction as what it announces (transactional outbox).

    Delivered after the commit; a failed delivery stays here, retried by `flask send-mail`.
    """

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # receipt | status
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_at: Mapped[datetime | None] = mapped_column(DateTime)  # a sender claimed it (no double sending)
    last_error: Mapped[str | None] = mapped_column(String(255))


class ApiToken(db.Model):
    """One software's access to one organisation's dossiers. Only the token's SHA-256 is kept."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    siret: Mapped[str] = mapped_column(String(14), index=True)
    name: Mapped[str] = mapped_column(String(100))
    scope: Mapped[str] = mapped_column(String(16))  # read | instruct
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


class ApiIdempotencyKey(db.Model):
    """A change sent with an Idempotency-Key: the request's hash, then the answer given (replayed on retry)."""

    __tablename__ = "api_idempotency_key"
    __table_args__ = (UniqueConstraint("token_id", "key", name="uq_api_idempotency_key_token_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_token.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)  # None while the first request is running
    body: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
