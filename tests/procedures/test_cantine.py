"""The canteen démarche's rules on typed data, from the snapshot shape stored in dossiers (the whole journey
runs in tests/test_journey.py)."""

from __future__ import annotations

from demarche.procedures.cantine import PROCEDURE as CANTINE
from demarche.procedures.cantine import family
from demarche.procedures.cantine.pricing import price_for, price_table
from tests.backoffice.factories import answers, certified_snapshot

IDENTITY = {"given_name": "Angela Claire Louise", "family_name": "DUBOIS", "email": "angela.dubois@example.fr"}


def test_a_stored_snapshot_is_read_as_typed_models_even_with_fields_missing():
    """The back-office factory's snapshot lacks annee_calcul, sexe… (older dossiers may too): they read as None."""
    data = family(CANTINE.certified(certified_snapshot(650)))
    assert data.quotient_familial.valeur == 650 and data.quotient_familial.annee_calcul is None
    assert [child.prenoms for child in data.enfants] == ["Léo"] and data.enfants[0].sexe is None
    assert data.adresse.code_postal_ville == "45000 DÉMARCHE-SUR-LOIRE"


def test_nothing_certified_reads_as_empty():
    data = family(CANTINE.certified({}))
    assert (data.quotient_familial, data.enfants, data.adresse) == (None, None, None)
    assert not CANTINE.certified(None)


def test_the_summary_says_where_each_value_comes_from():
    lines = CANTINE.summary(IDENTITY, answers(certified=True), certified_snapshot(650))
    table = {line.label: (line.value, line.origin) for line in lines}
    assert lines[0].label == "Demandeur" and lines[-1].label == "Tarif"
    assert table["Quotient familial CAF d’octobre 2026"] == ("650", "certified")
    assert table["Enfant inscrit"] == ("Léo DUBOIS, né(e) le 12/05/2016", "certified")
    assert table["Adresse"] == ("Madame Angela DUBOIS 12 rue des Lilas 45000 DÉMARCHE-SUR-LOIRE", "certified")
    assert table["Adresse électronique"] == ("angela.dubois@example.fr", "franceconnect")
    declared = {line.label: line for line in CANTINE.summary(IDENTITY, answers(certified=False), {})}
    assert declared["Quotient familial"].origin == "declared" and declared["Adresse"].origin == "declared"
    assert declared["Tarif"].value.endswith("(provisoire)")


def test_the_review_shows_the_organisation_that_answered_and_its_time_in_paris():
    certified = CANTINE.certified(certified_snapshot(650))
    review = CANTINE.review(certified, {})
    assert review["qf"]["bracket"].code == "B" and review["prices"] is None and review["failure"] is None
    [provenance] = review["provenances"]
    assert provenance.provider == "CAF" and provenance.retrieved_at == "2026-11-21T09:15:00"
    assert CANTINE.review(CANTINE.certified({}), {"quotient_familial": "not_found"})["failure"] == "not_found"


def test_brackets():
    assert [price_for(qf).code for qf in (0, 400, 401, 1400, 1401, None)] == ["A", "A", "B", "D", "E", "E"]
    assert price_for(650).to_dict() == {"code": "B", "ceiling": 700, "price_cents": 210, "limit": "jusqu’à 700",
                                        "label": "Tarif B : 2,10 € par repas"}
    caption, headers, rows = price_table()
    assert rows[0] == ("A", "jusqu’à 400", "1,00 € par repas") and rows[-1][1] == "au-delà, ou non communiqué"
