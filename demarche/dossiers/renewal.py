"""Which school year a dossier is for, and whether the citizen may renew it for the next one."""

from __future__ import annotations

from demarche.dates import local
from demarche.dossiers.models import Dossier
from demarche.dossiers.settings import settings
from demarche.extensions import db
from demarche.procedures import PROCEDURES


def invitation_day() -> tuple[int, int]:
    """(month, day) of RENEWAL_INVITATION_DATE: when the commune opens next year's enrolments."""
    month, day = settings().renewal_invitation_date.split("-")
    return int(month), int(day)


def school_year(dossier: Dossier) -> int:
    """The year its school year starts (2026 for 2026-2027). A renewal states it; another dossier is for the
    school year its deposit prepares: filed from the invitation date on, the one starting that year."""
    stated = (dossier.answers or {}).get("school_year")
    if stated:
        return int(stated)
    filed = local(dossier.submitted_at)
    return filed.year if (filed.month, filed.day) >= invitation_day() else filed.year - 1


def label(year: int) -> str:
    """« 2027-2028 »."""
    return f"{year}-{year + 1}"


def renewed(dossier: Dossier) -> bool:
    """Next year's dossier was already filed from this one."""
    return db.session.scalar(db.select(Dossier.id).filter_by(renewal_of=dossier.reference).limit(1)) is not None


def can_renew(dossier: Dossier) -> bool:
    """An accepted dossier of a renewable démarche, not renewed yet."""
    procedure = PROCEDURES.get(dossier.procedure)
    return bool(procedure and procedure.renewable and dossier.status == "accepte" and not renewed(dossier))


def next_year_label(dossier: Dossier) -> str:
    return label(school_year(dossier) + 1)


def offer(dossier: Dossier) -> dict | None:
    """What the receipt offers: the renewal button's school year when it can be renewed, and the opt-in."""
    procedure = PROCEDURES.get(dossier.procedure)
    if not (procedure and procedure.renewable):
        return None
    return {"next_year": next_year_label(dossier) if can_renew(dossier) else None,
            "reminder": dossier.renewal_reminder}
