"""The canteen démarche's DGFiP source: the revenu fiscal de référence and what the municipal quotient needs,
and how they read in French (review page, summary lines)."""

from __future__ import annotations

from demarche.procedures.base import SummaryLine
from demarche.procedures.cantine.settings import MUNICIPAL_QUOTIENT
from demarche.procedures.certified import Certified
from demarche.procedures.quotient import number
from demarche.procedures.wording import organisation, qf_label
from demarche.providers.api_particulier.models import QuotientFamilial
from demarche.providers.impot_particulier import SituationIR
from demarche.providers.impot_particulier.models import FAMILY_SITUATIONS
from demarche.providers.impot_particulier.sources import SITUATION_IR

TAX_SOURCE = SITUATION_IR.to(
    "calculer votre quotient municipal si vous n’avez pas de quotient familial de la CAF ou de la MSA",
    default=False)  # the CAF or MSA quotient comes first; the family ticks this one when it has none


def tax(certified: Certified) -> SituationIR | None:
    return certified.get(TAX_SOURCE)


def quotient(certified: Certified, qf: QuotientFamilial | None) -> dict | None:
    """The quotient the price comes from: the CAF or MSA one when certified, else the municipal one
    computed from the certified revenu fiscal de référence; None when neither is known."""
    if qf:
        return {"value": qf.valeur, "origin": "certified", "kind": "caf", "label": qf_label(qf),
                "basis": f"votre quotient familial {organisation(qf)}"}
    situation = tax(certified)
    value = MUNICIPAL_QUOTIENT.compute(situation) if situation else None
    if value is None:
        return None
    return {"value": value, "origin": "computed", "kind": "municipal",
            "label": f"Quotient municipal (revenus {situation.annee_revenus})",
            "basis": f"votre quotient municipal (revenu fiscal de référence {situation.annee_revenus})",
            "formula": MUNICIPAL_QUOTIENT.explain(situation), "deliberation": MUNICIPAL_QUOTIENT.deliberation}


def _period(situation: SituationIR) -> str:
    return f"revenus {situation.annee_revenus}, avis d’impôt {situation.annee_revenus + 1}"


def tax_items(certified: Certified, with_address: bool) -> list[dict]:
    """The certified tax values as the review page lists them, each with its provider and year."""
    situation = tax(certified)
    if situation is None:
        return []
    source = f"DGFiP, {_period(situation)}"
    values = [("Revenu fiscal de référence", situation.revenu_fiscal_reference, " €"),
              ("Nombre de parts", situation.nombre_parts, ""),
              ("Personnes à charge", situation.personnes_a_charge, "")]
    items = [{"label": label, "value": f"{number(value)}{unit}", "source": source}
             for label, value, unit in values if value is not None]
    if situation.situation_famille:
        items.append({"label": "Situation de famille", "source": source,
                      "value": FAMILY_SITUATIONS.get(situation.situation_famille, situation.situation_famille)})
    if with_address and situation.adresse:
        items.append({"label": "Adresse déclarée au 1er janvier", "value": situation.adresse, "source": source})
    return items


def tax_lines(certified: Certified, used: dict) -> list[SummaryLine]:
    """The summary's lines of a price from the municipal quotient: the certified values, then the quotient."""
    situation = tax(certified)
    lines = []
    if situation and situation.revenu_fiscal_reference is not None:
        lines.append(SummaryLine(f"Revenu fiscal de référence {situation.annee_revenus} (DGFiP)",
                                 f"{number(situation.revenu_fiscal_reference)} €", "certified"))
    if situation and situation.nombre_parts is not None:
        lines.append(SummaryLine("Nombre de parts (DGFiP)", number(situation.nombre_parts), "certified"))
    value = f"{number(used['value'])} ({used['formula']} ; {used['deliberation']})"
    return lines + [SummaryLine("Quotient municipal", value, "computed")]
