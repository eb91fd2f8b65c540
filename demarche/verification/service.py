"""What the public verification page may say about a code: invalid, unknown, purged, or the few facts
of a dossier (démarche, reference, deposit date, state, a hint of the holder), never its data."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select

from demarche.dates import display
from demarche.dossiers import retention
from demarche.dossiers.models import Dossier
from demarche.dossiers.states import label
from demarche.extensions import db
from demarche.procedures import PROCEDURES
from demarche.verification.codes import digest, reference_of
from demarche.verification.models import PurgedReference

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


@dataclass(frozen=True)
class Verdict:
    """outcome: invalid | unknown | purged | found; the facts only when found."""

    outcome: str
    title: str = ""
    reference: str = ""
    submitted: str = ""
    status: str = ""
    holder: str = ""


def verify(raw: str) -> Verdict:
    """Check the signature first (no database read for a forged code), then the dossier, then the tombstones."""
    reference = reference_of(raw)
    if reference is None:
        return Verdict("invalid")
    dossier = db.session.scalar(select(Dossier).filter_by(reference=reference))
    if dossier is None:
        purged = db.session.get(PurgedReference, digest(reference)) is not None
        return Verdict("purged" if purged else "unknown", reference=reference)
    procedure = PROCEDURES.get(dossier.procedure)
    return Verdict("found", title=procedure.title if procedure else dossier.procedure, reference=reference,
                   submitted=display(dossier.submitted_at), status=label(dossier.status),
                   holder=holder_hint(dossier.identity or {}))


def holder_hint(identity: dict) -> str:
    """« A. D., né(e) en août 1962 »: enough to match a paper with its bearer, too little to identify anyone."""
    initials = " ".join(f"{name.strip()[0].upper()}." for name in (identity.get("given_name", ""),
                                                                    identity.get("family_name", ""))
                        if name.strip())
    birthdate = identity.get("birthdate") or ""
    if len(birthdate) >= 7 and birthdate[5:7].isdigit() and 1 <= int(birthdate[5:7]) <= 12:
        return f"{initials}, né(e) en {MONTHS[int(birthdate[5:7]) - 1]} {birthdate[:4]}"
    return initials


@retention.attached
def forget(dossier_ids: list[int]) -> dict[str, int]:
    """The verification page can still say « ce dossier n'existe plus » once these dossiers are purged."""
    bury(dossier_ids)
    return {}


def bury(dossier_ids: list[int]) -> int:
    """Keep a tombstone of these dossiers' references before they are purged (demarche/dossiers/retention.py)."""
    if not dossier_ids:
        return 0
    references = db.session.scalars(select(Dossier.reference).where(Dossier.id.in_(dossier_ids))).all()
    known = set(db.session.scalars(select(PurgedReference.digest)
                                   .where(PurgedReference.digest.in_([digest(r) for r in references]))))
    rows = [{"digest": digest(r)} for r in references if digest(r) not in known]
    if rows:
        db.session.execute(insert(PurgedReference), rows)
    return len(rows)
