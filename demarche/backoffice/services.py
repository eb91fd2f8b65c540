"""The dossier list: one organisation's dossiers, by status, searched, filtered, sorted and paged.

The same query serves the list and the exports, so an export holds exactly what the list shows.
Name search reads the FranceConnect identity stored with the dossier (JSON on SQLite and PostgreSQL).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import func, or_

from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.pagination import PAGE_SIZE, Page, page_number

EXPORT_LIMIT = 10_000


def _name(key: str):
    return Dossier.identity[key].as_string()


def _filtered(siret: str, filters: dict, *, by_status: bool = True):
    query = db.select(Dossier).where(Dossier.organisation_siret == siret)
    if by_status and filters["statut"] != "tous":
        query = query.where(Dossier.status == filters["statut"])
    if filters.get("procedure"):
        query = query.where(Dossier.procedure == filters["procedure"])
    if filters.get("du"):
        query = query.where(Dossier.submitted_at >= datetime.combine(filters["du"], time.min))
    if filters.get("au"):
        query = query.where(Dossier.submitted_at < datetime.combine(filters["au"], time.min) + timedelta(days=1))
    for word in filters.get("q", "").split()[:5]:
        pattern = f"%{word}%"
        query = query.where(or_(Dossier.reference.ilike(pattern), _name("family_name").ilike(pattern),
                                _name("given_name").ilike(pattern), _name("preferred_username").ilike(pattern)))
    return query


ORDERS = {
    "recent": (Dossier.submitted_at.desc(),),
    "ancien": (Dossier.submitted_at.asc(),),
    "maj": (Dossier.updated_at.desc(),),
    "nom": (_name("family_name"), _name("given_name")),
    "reference": (Dossier.reference,),
}


def page(siret: str, filters: dict) -> Page:
    """The requested page of the filtered list (the last page if the number is too high)."""
    query = _filtered(siret, filters)
    total = db.session.scalar(db.select(func.count()).select_from(query.subquery())) or 0
    number = page_number(filters["page"], total)
    items = db.session.scalars(query.order_by(*ORDERS[filters["tri"]], Dossier.id.desc())
                               .offset((number - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return Page(list(items), number, total)


def counts(siret: str, filters: dict) -> dict[str, int]:
    """How many dossiers each tab holds with the same search and filters."""
    query = _filtered(siret, filters, by_status=False).subquery()
    rows = db.session.execute(db.select(query.c.status, func.count()).group_by(query.c.status)).all()
    result = {status: count for status, count in rows}
    result["tous"] = sum(result.values())
    return result


def for_export(siret: str, filters: dict) -> list[Dossier]:
    """Every dossier of the filtered list, in the list's order (bounded)."""
    query = _filtered(siret, filters).order_by(*ORDERS[filters["tri"]], Dossier.id.desc()).limit(EXPORT_LIMIT)
    return list(db.session.scalars(query).all())
