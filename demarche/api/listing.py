"""The dossier list of one organisation, filtered, in pages joined by an opaque cursor.

Order: (updated_at, id), oldest change first. A dossier changed while a client pages through moves to the
end, where the client meets it again: nothing is skipped, which is what a synchronisation with
`updated_since` needs. The cursor is the last row's (updated_at, id), base64url-encoded JSON.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime, time

from sqlalchemy import and_, or_

from demarche.api.schemas import DossierQuery
from demarche.dossiers.models import Dossier
from demarche.extensions import db

MAX_ID = 2**63  # a signed 64-bit integer, the largest primary key either database stores


class BadCursor(ValueError):
    """The cursor was not made by this API (or was altered)."""


def encode_cursor(dossier: Dossier) -> str:
    raw = json.dumps({"u": dossier.updated_at.isoformat(), "i": dossier.id}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """The (updated_at, id) of a cursor; BadCursor for anything this API could not have made, an id outside
    the database's BIGINT first (SQLite raises OverflowError past 2**63, PostgreSQL an error)."""
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        after_time, after_id = naive_utc(datetime.fromisoformat(data["u"])), data["i"]
    except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError) as error:
        raise BadCursor(cursor) from error
    if type(after_id) is not int or not 0 < after_id < MAX_ID:
        raise BadCursor(cursor)
    return after_time, after_id


def naive_utc(value: datetime) -> datetime:
    """Stored times are naive UTC; a time given with its offset is converted, one without is taken as UTC."""
    try:
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    except OverflowError:  # year 1 or 9999 with an offset: before or after anything stored
        return datetime.min if value.year == 1 else datetime.max


def page(siret: str, query: DossierQuery) -> tuple[list[Dossier], str | None]:
    """One page and the cursor of the next (None on the last page). BadCursor for a foreign cursor."""
    select = db.select(Dossier).where(Dossier.organisation_siret == siret)
    if query.procedure:
        select = select.where(Dossier.procedure == query.procedure)
    if query.status:
        select = select.where(Dossier.status == query.status)
    if query.submitted_from:
        select = select.where(Dossier.submitted_at >= datetime.combine(query.submitted_from, time.min))
    if query.submitted_to:
        select = select.where(Dossier.submitted_at <= datetime.combine(query.submitted_to, time.max))
    if query.updated_since:
        select = select.where(Dossier.updated_at >= naive_utc(query.updated_since))
    if query.cursor:
        after_time, after_id = decode_cursor(query.cursor)
        select = select.where(or_(Dossier.updated_at > after_time,
                                  and_(Dossier.updated_at == after_time, Dossier.id > after_id)))
    rows = list(db.session.scalars(select.order_by(Dossier.updated_at, Dossier.id).limit(query.limit + 1)))
    items = rows[:query.limit]
    return items, encode_cursor(items[-1]) if len(rows) > query.limit else None
