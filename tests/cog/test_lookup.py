"""Birthplace codes resolved at the birth date, from INSEE's historical COG vendored in the repository.

The cases are those of API Particulier's own lookup tool's examples (codes change with the date).
"""

from __future__ import annotations

from datetime import date

import pytest

from demarche import cog


@pytest.mark.parametrize(("code", "born", "name"), [
    ("75036", date(1960, 5, 1), "Gennevilliers"),  # in the old Seine department
    ("92036", date(2000, 5, 1), "Gennevilliers"),  # in Hauts-de-Seine since 1968
    ("20004", date(1960, 5, 1), "Ajaccio"),  # Corsica before its split (1976)
    ("2A004", date(1980, 5, 1), "Ajaccio"),
    ("38001", date(1990, 5, 1), "Les Abrets"),  # the name before the commune nouvelle (2016)
    ("38001", date(2016, 5, 1), "Les Abrets en Dauphiné"),
    ("01165", date(1980, 5, 1), "Amareins-Francheleins-Cesseins"),  # renamed in 1998
    ("97608", date(2012, 5, 1), "Dzaoudzi"),
])
def test_a_code_valid_at_the_birth_date_resolves_with_the_name_it_had(code, born, name):
    assert cog.commune(code, born) == cog.Commune(code, name, code[:3] if code.startswith("97") else code[:2])


@pytest.mark.parametrize(("code", "born"), [
    ("75036", date(2000, 5, 1)),  # moved to 92036 in 1968
    ("92036", date(1960, 5, 1)),
    ("20004", date(1980, 5, 1)),
    ("2A004", date(1960, 5, 1)),
    ("01003", date(1980, 5, 1)),  # Amareins, associated with 01165 in 1974
    ("97608", date(2000, 5, 1)),  # Mayotte before it became a department
    ("99999", date(2000, 5, 1)),
])
def test_a_code_that_was_not_a_commune_at_the_birth_date_does_not_resolve(code, born):
    assert cog.commune(code, born) is None


def test_search_finds_the_communes_of_that_time_by_their_name_then():
    assert [c.code for c in cog.search_communes("gennevilliers", date(1960, 1, 1))] == ["75036"]
    assert [c.code for c in cog.search_communes("Gennevilliers", date(2000, 1, 1))] == ["92036"]
    assert [c.label for c in cog.search_communes("abrets", date(1990, 1, 1))] == ["Les Abrets (38)"]


def test_search_ignores_accents_case_and_hyphens_and_lists_homonyms_with_their_department():
    found = cog.search_communes("la rochette", date(1970, 1, 1))
    assert {"04", "05"} <= {c.department for c in found if c.name == "La Rochette"}
    assert cog.search_communes("AMBERIEU EN", date(1960, 1, 1))[0].name == "Ambérieu-en-Bugey"


def test_search_needs_two_letters():
    assert cog.search_communes("a", date(1980, 1, 1)) == []


def test_countries_are_the_99xxx_codes_and_france_is_not_one():
    assert cog.country("99350") == cog.Country("99350", "MAROC")
    assert cog.country(cog.FRANCE) is None
    assert all(c.code.startswith("99") and len(c.code) == 5 for c in cog.countries())
    assert len(cog.countries()) > 200
