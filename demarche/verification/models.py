"""Tombstones of purged dossiers: a keyed digest of the reference, so the verification page can say
« ce dossier n'existe plus » without keeping the reference itself."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from demarche.extensions import db
from demarche.models import utcnow


class PurgedReference(db.Model):
    """A dossier that existed and was purged (demarche/dossiers/retention.py); no data of it is left."""

    __tablename__ = "purged_reference"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)  # HMAC-SHA256 of the reference
    purged_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
