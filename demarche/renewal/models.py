"""The renewal invitations sent: one per dossier and school year (the unique key makes the job idempotent)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from demarche.extensions import db
from demarche.models import utcnow


class RenewalInvitation(db.Model):
    """This dossier's family was invited to renew for the school year starting in `school_year`."""

    __tablename__ = "renewal_invitation"
    __table_args__ = (UniqueConstraint("dossier_id", "school_year", name="uq_renewal_invitation_dossier_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), index=True)
    school_year: Mapped[int] = mapped_column(Integer)  # 2027 for 2027-2028
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
