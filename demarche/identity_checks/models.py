"""The check of a declared identity: the person's agreement at the deposit, the agent's request, the answer
(agents only) and the agent's decision; and the journal of every call, kept 36 months as API Particulier's
terms require (https://particulier.api.gouv.fr/faq, « À quoi je m'engage »)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from demarche.extensions import db
from demarche.models import utcnow


class IdentityCheck(db.Model):
    """One per dossier filed with a declared identity. status: agreed | not_agreed | requested | done | failed."""

    __tablename__ = "identity_check"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), unique=True)
    consent_id: Mapped[int | None] = mapped_column(ForeignKey("consent_record.id", ondelete="SET NULL"))
    agreed: Mapped[bool] = mapped_column(Boolean)
    sources: Mapped[list] = mapped_column(JSON)  # the sources the person agreed to (keys)
    status: Mapped[str] = mapped_column(String(16))
    verified_how: Mapped[str | None] = mapped_column(String(32))  # the kind of means only, never a number
    requested_by: Mapped[str | None] = mapped_column(String(320))
    requested_at: Mapped[datetime | None] = mapped_column(DateTime)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    results: Mapped[dict | None] = mapped_column(JSON)  # {source: {outcome, data, provenance}}: agents only
    decision: Mapped[str | None] = mapped_column(String(16))  # conforme | different | introuvable
    decided_by: Mapped[str | None] = mapped_column(String(320))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class IdentityCheckCall(db.Model):
    """One call to a provider with a declared identity: who asked, for which dossier, which route, what came
    back (the kind of answer, never the data). Outlives the dossier: no foreign key."""

    __tablename__ = "identity_check_call"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    agent: Mapped[str] = mapped_column(String(320))
    dossier_reference: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(32))
    request_id: Mapped[str | None] = mapped_column(String(128))
