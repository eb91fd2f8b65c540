"""The correction history read from the events: requests paired with their answers, old → new by label."""

from __future__ import annotations

from datetime import datetime

from demarche.dossiers import history
from demarche.dossiers.models import DossierEvent
from demarche.procedures import PROCEDURES
from tests.backoffice.factories import answers, certified_snapshot

IDENTITY = {"given_name": "Angela", "family_name": "DUBOIS"}


def event(kind: str, minute: int, **fields) -> DossierEvent:
    return DossierEvent(kind=kind, at=datetime(2026, 12, 1, 9, minute), actor=fields.pop("actor", "usager"), **fields)


def test_rounds_pair_each_request_with_the_answer_that_followed():
    events = [event("submitted", 0), event("correction_requested", 1, actor="marie@x", motive="Le régime ?"),
              event("corrected", 2, changes=[{"label": "Régime alimentaire", "old": "a", "new": "b"}]),
              event("correction_requested", 3, actor="marie@x", motive="Et les jours ?")]
    first, second = history.rounds(events)
    assert (first.motive, first.corrected_at.minute, first.changes[0]["new"]) == ("Le régime ?", 2, "b")
    assert (second.motive, second.corrected_at, second.changes) == ("Et les jours ?", None, ())
    assert history.pending_request(events).motive == "Et les jours ?"


def test_changes_compare_the_summaries_and_say_them():
    procedure = PROCEDURES["cantine"]
    before = answers(certified=True)
    after = {**before, "diet": "Végétarien", "children": before["children"] * 2}
    changes = history.changes(procedure, IDENTITY, (before, certified_snapshot()), (after, certified_snapshot()))
    assert {"label": "Régime alimentaire", "old": "Sans régime particulier", "new": "Végétarien"} in changes
    assert {"label": "Enfant inscrit", "old": "", "new": "Léo DUBOIS, né(e) le 12/05/2016"} in changes  # 2nd child
    assert len(changes) == 2
    assert history.said(changes[:1]) == "Régime alimentaire : Sans régime particulier → Végétarien"
    assert history.said([]) == "aucune réponse modifiée"
