"""Typed results of API Impôt particulier, parsed from the IR assessment (schema SituationsIRAssiettesJAXBbean
of the DGFiP's OpenAPI, docs/specs/api-impot-particulier-openapi.json). A field masked because its scope
was not granted becomes None; dates become « AAAA-MM-JJ » like API Particulier's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# sitFam codes of the DGFiP's functional presentation (« Présentation fonctionnelle de l'API Impôt particulier »)
FAMILY_SITUATIONS = {"M": "marié(e)", "O": "pacsé(e)", "C": "célibataire", "D": "divorcé(e)", "V": "veuf(ve)"}
COUPLES = ("M", "O")  # two declarants


@dataclass(frozen=True)
class Declarant:
    nom: str | None
    prenoms: str | None
    date_naissance: str | None  # AAAA-MM-JJ

    @classmethod
    def from_json(cls, body: dict[str, Any], n: int) -> Declarant | None:
        birth = body.get(f"dateNaisDec{n}")
        names = body.get(f"nmNaiDec{n}"), body.get(f"prnmDec{n}")
        if not birth and not any(names):
            return None
        date = None
        if isinstance(birth, dict) and all(birth.get(k) for k in ("annee", "mois", "jour")):
            date = f"{int(birth['annee']):04d}-{int(birth['mois']):02d}-{int(birth['jour']):02d}"
        return cls(names[0], names[1], date)


@dataclass(frozen=True)
class SituationIR:
    """One income year's assessment of the citizen's tax household."""

    annee_revenus: int  # the « annrev » asked: the incomes of that year, taxed the next year
    revenu_fiscal_reference: int | None
    nombre_parts: float | None
    situation_famille: str | None  # M, O, C, D, V
    personnes_a_charge: int | None
    adresse: str | None  # the address declared on 1 January of the tax year (aft)
    declarants: tuple[Declarant, ...] | None = None  # read for the birth-date check, not kept

    @classmethod
    def from_json(cls, body: dict[str, Any], year: int) -> SituationIR:
        """Raise TypeError/ValueError on a malformed body."""
        if not isinstance(body, dict):
            raise TypeError("JSON object expected")
        pac = body.get("pac") if isinstance(body.get("pac"), dict) else {}
        declarants = tuple(d for d in (Declarant.from_json(body, n) for n in (1, 2)) if d)
        return cls(
            annee_revenus=year,
            revenu_fiscal_reference=_number(body.get("rfr"), int),
            nombre_parts=_number(body.get("nbPart"), float),
            situation_famille=body.get("sitFam"),
            personnes_a_charge=_number(pac.get("nbPac"), int),
            adresse=body.get("aft") or None,
            declarants=declarants or None,
        )

    @property
    def persons(self) -> int | None:
        """People of the household: one or two declarants (married or PACS) and the dependants."""
        if self.situation_famille is None or self.personnes_a_charge is None:
            return None
        return (2 if self.situation_famille in COUPLES else 1) + self.personnes_a_charge

    @property
    def birth_dates(self) -> set[str]:
        return {d.date_naissance for d in self.declarants or () if d.date_naissance}


def _number(value: Any, kind: type) -> Any:
    return None if value is None or value == "" else kind(value)
