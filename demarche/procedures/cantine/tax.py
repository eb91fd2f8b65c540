"""The canteen démarche's DGFiP source: the revenu fiscal de référence and what the municipal quotient needs,
and how they read in French (review page, summary lines)."""

from __future__ import annotations

from demarche.procedures.base import DataSource, SummaryLine
from demarche.procedures.cantine.settings import MUNICIPAL_QUOTIENT
from demarche.procedures.certified import Certified
from demarche.procedures.checks import birthdate_among_declarants
from demarche.procedures.quotient import number
from demarche.procedures.wording import organisation, qf_label
from demarche.providers.api_particulier.models import QuotientFamilial
from demarche.providers.impot_particulier import Resource, SituationIR
from demarche.providers.impot_particulier.models import FAMILY_SITUATIONS

TAX_SOURCE = DataSource(
    key="revenu_fiscal",
    label="votre revenu fiscal de référence, le nombre de parts, votre situation de famille, le nombre de "
          "personnes à charge et l’adresse déclarée de votre dernier avis d’impôt sur le revenu",
    # dgfip_dateNaisDec1/2: the declarants' birth dates, read for the check (checks.py) and never kept;
    # one year scope: the latest taxed year (N-1 after late July, N-2 before), names as FranceConnect's
    # https://github.com/france-connect/sources/blob/7a8566f690b9c67955757b32dbe5671246901d29/back/libs/scopes/src/data/dgfip/dgfip.claims.ts
    scopes=("dgfip_rfr", "dgfip_nbpart", "dgfip_sitfam", "dgfip_pac_nbPac", "dgfip_aft", "dgfip_dateNaisDec1",
            "dgfip_dateNaisDec2", "dgfip_annee_n_moins_2_si_indispo_n_moins_1"),
    route=Resource.SITUATION_IR,
    fields=("annee_revenus", "revenu_fiscal_reference", "nombre_parts", "situation_famille", "personnes_a_charge",
            "adresse"),
    purpose="calculer votre quotient municipal si vous n’avez pas de quotient familial de la CAF ou de la MSA",
    categories=("revenu fiscal de référence", "nombre de parts", "situation de famille", "personnes à charge",
                "adresse déclarée"),
    default=False,  # the CAF or MSA quotient comes first; the family ticks this one when it has none
    check=birthdate_among_declarants,
)


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
