"""What each side has not read yet: the other side's messages written after it last opened the thread."""

from __future__ import annotations

from sqlalchemy import func, select

from demarche.extensions import db
from demarche.messages.models import DossierMessage, MessageThread

SIDES = ("citizen", "agent")


def unread_counts(dossier_ids: list[int], side: str) -> dict[int, int]:
    """For each dossier, the other side's messages written after this side last read the thread."""
    if side not in SIDES:
        raise ValueError(side)
    if not dossier_ids:
        return {}
    read_at = getattr(MessageThread, f"{side}_read_at")
    other = "agent" if side == "citizen" else "usager"
    query = (select(DossierMessage.dossier_id, func.count())
             .outerjoin(MessageThread, MessageThread.dossier_id == DossierMessage.dossier_id)
             .where(DossierMessage.dossier_id.in_(dossier_ids), DossierMessage.author == other,
                    (read_at.is_(None)) | (DossierMessage.at > read_at))
             .group_by(DossierMessage.dossier_id))
    return dict(db.session.execute(query).all())
