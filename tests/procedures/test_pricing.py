"""The shared pricing rules: limits said exactly (« jusqu’à » includes, « inférieur à » excludes), brackets, and
tariffs decided by alternative criteria tried in order, with what decided and whether it rests on a declaration."""

from __future__ import annotations

import pytest

from demarche.procedures.pricing import Bracket, Tariff, below, bracket_for, holds, tariff_for, up_to, within

SOLIDAIRE = Tariff("Tarif solidaire", 1000, (within("quotient_familial", "quotient familial", below(900), "€"),
                                             holds("c2s", "bénéficiaire de la complémentaire santé solidaire")))
NORMAL = Tariff("Tarif normal", 4000)


def test_a_limit_says_whether_it_includes_its_value():
    assert (up_to(700).admits(700), up_to(700).admits(701)) == (True, False)
    assert (below(900).admits(899), below(900).admits(900)) == (True, False)
    assert (str(up_to(700)), str(below(900))) == ("jusqu’à 700", "inférieur à 900")


def test_brackets_with_a_strict_ceiling():
    brackets = (Bracket("S", below(900), 1000), Bracket("N", None, 4000))
    assert [bracket_for(brackets, qf).code for qf in (0, 899, 900, None)] == ["S", "S", "N", "N"]
    assert brackets[0].to_dict()["limit"] == "inférieur à 900"


@pytest.mark.parametrize(("facts", "name", "basis", "provisional"), [
    ({"quotient_familial": (899, "certified"), "c2s": (False, "certified")}, "Tarif solidaire",
     "quotient familial inférieur à 900 €", False),
    ({"quotient_familial": (900, "certified"), "c2s": (True, "certified")}, "Tarif solidaire",
     "bénéficiaire de la complémentaire santé solidaire", False),  # the second criterion, when the first fails
    ({"quotient_familial": (500, "declared"), "c2s": (True, "certified")}, "Tarif solidaire",
     "quotient familial inférieur à 900 €", True),  # in order: the first that holds decides, here declared
    ({"quotient_familial": (900, "certified"), "c2s": (False, "certified")}, "Tarif normal", "", False),
    ({"quotient_familial": (None, "declared"), "c2s": (None, "declared")}, "Tarif normal", "", False),  # unknown
])
def test_alternative_criteria_in_order(facts, name, basis, provisional):
    price = tariff_for((SOLIDAIRE, NORMAL), facts)
    assert (price["name"], price["basis"], price["provisional"]) == (name, basis, provisional)
    assert price["label"] == f"{name} : {'10,00' if name == 'Tarif solidaire' else '40,00'} €"


def test_the_tariffs_read_as_the_deliberation_says_them():
    assert SOLIDAIRE.conditions == ("quotient familial inférieur à 900 € ou bénéficiaire de la complémentaire "
                                    "santé solidaire")
    assert NORMAL.conditions == "dans les autres cas"
    with pytest.raises(ValueError) as excinfo:
        tariff_for((SOLIDAIRE,), {"quotient_familial": (2000, "certified"), "c2s": (False, "certified")})
    assert "without criteria" in str(excinfo.value)
