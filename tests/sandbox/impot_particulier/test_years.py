"""Year scopes and the taxation date (22 July), N being the current year."""

from __future__ import annotations

from datetime import date

from demarche_sandbox.impot_particulier.years import allowed_years, relative_key, taxed


def test_a_year_is_taxed_on_22_july_of_the_next_year():
    assert not taxed(2025, date(2026, 7, 21)) and taxed(2025, date(2026, 7, 22))


def test_year_scopes_open_years_relative_to_the_current_one():
    today = date(2026, 3, 1)
    assert allowed_years(frozenset({"dgfip_annee_n_moins_1", "dgfip_annee_n_moins_3"}), today) == {2025, 2023}
    assert allowed_years(frozenset({"dgfip_rfr"}), today) == set()


def test_n_minus_2_if_n_minus_1_is_not_available_follows_the_taxation_date():
    scope = frozenset({"dgfip_annee_n_moins_2_si_indispo_n_moins_1"})
    assert allowed_years(scope, date(2026, 3, 1)) == {2024}
    assert allowed_years(scope, date(2026, 9, 1)) == {2025}


def test_households_are_keyed_relative_to_the_current_year():
    assert relative_key(2025, date(2026, 1, 1)) == "N-1"
