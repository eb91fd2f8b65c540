"""The mandate a person present at the desk gives an agent's organisation to file one démarche for them, as
Aidants Connect records its mandates (https://aidantsconnect.beta.gouv.fr/cgu/): which démarche, for how long,
obtained how; the identity document seen is recorded by its kind only, never a number nor a copy."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from demarche.extensions import db
from demarche.models import utcnow


class Mandate(db.Model):
    """« Déposé par [agent] pour le compte de [usager] »: who filed, for whom, under which agreement."""

    __tablename__ = "mandate"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The person: first an account of the desk, then their FranceConnect account once matched on the pivot
    # identity at their first login (demarche/counter/matching.py).
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id", ondelete="CASCADE"), index=True)
    match_key: Mapped[str] = mapped_column(String(64), index=True)  # SHA-256 of the normalised pivot identity
    identity: Mapped[dict] = mapped_column(JSON)  # the declared identity (demarche/declared_identity)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agent.id", ondelete="SET NULL"))
    agent_email: Mapped[str] = mapped_column(String(320))
    agent_name: Mapped[str] = mapped_column(String(255))
    siret: Mapped[str] = mapped_column(String(14), index=True)  # the organisation that holds the mandate
    procedure: Mapped[str] = mapped_column(String(64))
    document_kind: Mapped[str] = mapped_column(String(32))  # carte_identite | passeport | titre_sejour | …
    obtained_how: Mapped[str] = mapped_column(String(16))  # ecran | papier
    duration_days: Mapped[int] = mapped_column(Integer)
    email: Mapped[str | None] = mapped_column(String(320))  # where the receipt goes, when given
    dossier_reference: Mapped[str | None] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    matched_at: Mapped[datetime | None] = mapped_column(DateTime)  # the person's FranceConnect account found
