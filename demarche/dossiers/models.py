"""The dossier's tables: the dossier itself (answers, certified snapshot with provenance, consent, FranceConnect
trace) and its history of events. Times are naive UTC (demarche.models.utcnow)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column

from demarche.extensions import db
from demarche.models import utcnow


class Dossier(db.Model):
    """A submitted démarche: answers, certified snapshot with provenance, consent, FranceConnect trace."""

    __tablename__ = "dossier"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    procedure: Mapped[str] = mapped_column(String(64), index=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(32), index=True, default="depose")
    identity: Mapped[dict] = mapped_column(JSON)  # pivot identity certified by FranceConnect
    answers: Mapped[dict] = mapped_column(JSON)  # what the citizen chose or declared
    certified: Mapped[dict] = mapped_column(JSON)  # copied from the Prefill, with provenance
    consent_id: Mapped[int] = mapped_column(ForeignKey("consent_record.id"))
    authentication: Mapped[dict] = mapped_column(JSON)  # {"provider", "sub", "acr", "auth_time"}
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    submitted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # The administration that receives the dossier (API_PARTICULIER_RECIPIENT at submission): only its
    # authorised agents see it.
    organisation_siret: Mapped[str | None] = mapped_column(String(14), index=True)
    # The citizen's word on the certified data: correct or not (None: none was certified), and why not.
    data_correct: Mapped[bool | None] = mapped_column(Boolean)
    data_comment: Mapped[str | None] = mapped_column(String(1000))
    data_refreshed_at: Mapped[datetime | None] = mapped_column(DateTime)  # the citizen fetched it again
    # The declared fields as the citizen last sent them (field name → values; never a certified value): what
    # a correction or a renewal reopens the démarche's form with (demarche/procedures/formdata.py).
    form_data: Mapped[dict | None] = mapped_column(JSON)
    # « Me prévenir pour la réinscription l’an prochain » (demarche/renewal), withdrawable.
    renewal_reminder: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    renewal_of: Mapped[str | None] = mapped_column(String(32), index=True)  # the reference this dossier renews


class DossierEvent(db.Model):
    """The history of a dossier: submission, then each change of status (who, when, from, to, why), the
    corrections asked of the citizen and made (which declared answers changed: old → new)."""

    __tablename__ = "dossier_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(255))  # "usager" or an agent's e-mail
    kind: Mapped[str] = mapped_column(String(32))  # submitted | status_changed | correction_requested | corrected
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str | None] = mapped_column(String(32))
    motive: Mapped[str | None] = mapped_column(String(2000))
    changes: Mapped[list | None] = mapped_column(JSON)  # corrected: [{"label", "old", "new"}]
