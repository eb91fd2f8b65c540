"""Anonymous opinions after a deposit: linked to the démarche only, never to a citizen or a dossier."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from demarche.extensions import db


class Feedback(db.Model):
    """« Je donne mon avis »: a rating and an optional comment. Only the month is kept, not the time,
    so an opinion cannot be matched with the dossier deposited just before it."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure: Mapped[str] = mapped_column(String(64), index=True)
    organisation_siret: Mapped[str | None] = mapped_column(String(14), index=True)
    rating: Mapped[str] = mapped_column(String(16))  # bien | moyen | mal
    comment: Mapped[str | None] = mapped_column(String(1000))
    month: Mapped[str] = mapped_column(String(7))  # « 2026-11 »
