"""The dossier's history (its events, oldest first), and the correction loop as the history tells it: requests
(correction_requested, with the agent's motive) and answers (corrected, with what changed: old → new), for the
pages, the exports and the API."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from demarche.dossiers.models import Dossier, DossierEvent
from demarche.extensions import db
from demarche.procedures.base import Procedure

REQUESTED, CORRECTED = "correction_requested", "corrected"


def events(dossier: Dossier) -> list[DossierEvent]:
    """The dossier's history, oldest first."""
    return list(db.session.scalars(db.select(DossierEvent).filter_by(dossier_id=dossier.id)
                                   .order_by(DossierEvent.at, DossierEvent.id)))


@dataclass(frozen=True)
class Round:
    """One request and, once the citizen confirmed, the answer."""

    requested_at: datetime
    requested_by: str
    motive: str
    corrected_at: datetime | None = None
    changes: tuple[dict, ...] = ()


def rounds(events: list[DossierEvent]) -> list[Round]:
    """Every request, in order, each with the answer that followed it (if any); `events` in history order."""
    found: list[Round] = []
    for event in events:
        if event.kind == REQUESTED:
            found.append(Round(event.at, event.actor, event.motive or ""))
        elif event.kind == CORRECTED and found and found[-1].corrected_at is None:
            last = found[-1]
            found[-1] = Round(last.requested_at, last.requested_by, last.motive, event.at, tuple(event.changes or ()))
    return found


def pending_request(events: list[DossierEvent]) -> DossierEvent | None:
    """The request the dossier waits on: the last correction_requested event."""
    return next((e for e in reversed(events) if e.kind == REQUESTED), None)


def last_requests(dossier_ids: list[int], kind: str = REQUESTED) -> dict[int, DossierEvent]:
    """The latest event of this kind (a request by default) of each of these dossiers (one query), by dossier id."""
    if not dossier_ids:
        return {}
    latest = (select(func.max(DossierEvent.id)).where(DossierEvent.kind == kind,
                                                      DossierEvent.dossier_id.in_(dossier_ids))
              .group_by(DossierEvent.dossier_id))
    return {e.dossier_id: e for e in db.session.scalars(select(DossierEvent).where(DossierEvent.id.in_(latest)))}


def said(changes: list[dict] | None) -> str:
    """« Régime alimentaire : Menu standard → Végétarien ; … » for a cell or a line of text."""
    return " ; ".join(f"{c['label']} : {c['old']} → {c['new']}" for c in changes or ()) or "aucune réponse modifiée"


def changes(procedure: Procedure, identity: dict, before: tuple[dict, dict], after: tuple[dict, dict]) -> list[dict]:
    """What the citizen changed, read on the summary both sides (answers, certified): each line whose value
    differs, with its label, as people read it. A repeated label (several children) is compared by rank."""
    old, new = (_lines(procedure, identity, *side) for side in (before, after))
    return [{"label": key[0], "old": old.get(key, ""), "new": new.get(key, "")}
            for key in dict.fromkeys([*old, *new]) if old.get(key, "") != new.get(key, "")]


def _lines(procedure: Procedure, identity: dict, answers: dict, certified: dict) -> dict[tuple[str, int], str]:
    seen: Counter = Counter()
    result = {}
    for line in procedure.summary(identity, answers, certified):
        seen[line.label] += 1
        result[(line.label, seen[line.label])] = line.value
    return result
