"""The municipal quotient: a quotient computed by the commune from the revenu fiscal de référence, for the
families without a CAF or MSA quotient familial. The formula is the commune's (its délibération), so it is
configuration: the divisor (fiscal parts, or persons of the household) and the period in months.

Communes differ: Marolles-en-Hurepoix divides monthly incomes by the fiscal parts
(https://marolles-en-hurepoix.fr/enfance-scolaire-jeunesse/quotients-tarifs/), Ménucourt divides the RFR by 12
then by the persons on the tax notice (https://www.menucourt.fr/Calcul-du-quotient-communal/323/).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from demarche.numbers import french as number
from demarche.providers.impot_particulier import SituationIR

DIVISORS = {"parts": ("part", "parts"), "persons": ("personne", "personnes")}



@dataclass(frozen=True)
class MunicipalQuotientRule:
    """quotient = revenu fiscal de référence ÷ months ÷ divisor, rounded down to the euro."""

    divisor: Literal["parts", "persons"]
    months: int
    deliberation: str  # what citizens read: « délibération n° … du conseil municipal du … »

    def __post_init__(self) -> None:
        if self.divisor not in DIVISORS or self.months < 1:
            raise ValueError("divisor: parts or persons; months: 1 or more")

    def count(self, situation: SituationIR) -> float | None:
        return situation.nombre_parts if self.divisor == "parts" else situation.persons

    def compute(self, situation: SituationIR) -> int | None:
        """None when the assessment lacks the revenu fiscal de référence or the divisor."""
        count, rfr = self.count(situation), situation.revenu_fiscal_reference
        if rfr is None or not count:
            return None
        return int(rfr // (self.months * count))

    def explain(self, situation: SituationIR) -> str:
        """« 38 420 € ÷ 12 mois ÷ 1 part = 3 201 »."""
        count = self.count(situation) or 0
        unit = DIVISORS[self.divisor][0 if count <= 1 else 1]
        return (f"{number(situation.revenu_fiscal_reference or 0)} € ÷ {self.months} mois ÷ {number(count)} {unit}"
                f" = {number(self.compute(situation) or 0)}")
