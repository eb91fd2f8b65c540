"""What the public verification page may say about a code: invalid, unknown, purged, or that the attestation
is genuine, for which démarche (its neutral title) and on which day it was deposited; nothing else
(docs/securite.md, « Ce que montre /verifier »)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select

from demarche.dates import day
from demarche.dossiers import retention
from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.procedures import PROCEDURES
from demarche.verification.codes import digest, reference_of
from demarche.verification.models import PurgedReference


@dataclass(frozen=True)
class Verdict:
    """outcome: invalid | unknown | purged | found; the facts only when found."""

    outcome: str
    title: str = ""
    reference: str = ""
    submitted: str = ""


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
    return Verdict("found", title=procedure.public_title if procedure else "", reference=reference,
                   submitted=day(dossier.submitted_at))


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
