"""The municipal quotient: the commune's formula (divisor parts or persons, period) applied to the certified
assessment, and said in French."""

from __future__ import annotations

import pytest

from demarche.procedures.cantine.pricing import price_for
from demarche.procedures.quotient import MunicipalQuotientRule
from demarche.providers.impot_particulier import SituationIR

# Ménucourt's example: « 31 866 / 12 / 4 = 663,88 » (a couple and two children, persons on the tax notice)
COUPLE = SituationIR(2025, 31866, 3.0, "M", 2, "1 RUE X 95180 MENUCOURT")
SINGLE = SituationIR(2025, 38420, 1.0, "C", 0, "8 RUE SAINT FERREOL 13001 MARSEILLE")


def test_divided_by_persons_as_menucourt_does():
    rule = MunicipalQuotientRule("persons", 12, "délibération de Ménucourt")
    assert rule.compute(COUPLE) == 663 and rule.explain(COUPLE) == "31\u202f866 € ÷ 12 mois ÷ 4 personnes = 663"


def test_divided_by_fiscal_parts_as_marolles_does():
    rule = MunicipalQuotientRule("parts", 12, "délibération de Marolles-en-Hurepoix")
    assert rule.compute(COUPLE) == 885 and rule.explain(COUPLE).endswith("÷ 3 parts = 885")
    half = SituationIR(2025, 24310, 2.5, "D", 2, "")
    assert rule.compute(half) == 810 and "÷ 2,5 parts" in rule.explain(half)
    assert price_for(rule.compute(SINGLE)).code == "E" and price_for(rule.compute(half)).code == "C"  # 810: up to 1 000


def test_nothing_without_the_rfr_or_the_divisor():
    rule = MunicipalQuotientRule("parts", 12, "d")
    assert rule.compute(SituationIR(2025, None, 1.0, "C", 0, "")) is None
    assert rule.compute(SituationIR(2025, 10000, None, "C", 0, "")) is None
    assert MunicipalQuotientRule("persons", 12, "d").compute(SituationIR(2025, 10000, 1.0, None, None, "")) is None


def test_a_rule_the_service_cannot_apply_is_refused():
    with pytest.raises(ValueError):
        MunicipalQuotientRule("foyers", 12, "d")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        MunicipalQuotientRule("parts", 0, "d")
