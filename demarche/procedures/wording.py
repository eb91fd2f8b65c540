"""How certified values read in French, the same in every démarche: people, addresses, quotient familial."""

from __future__ import annotations

from demarche.dates import day, of_month_year
from demarche.providers.api_particulier.models import Adresse, Personne, QuotientFamilial
from demarche.providers.api_particulier.sources import ORGANISATIONS

_ADDRESS_LINES = ("destinataire", "complement_information", "complement_information_geographique",
                  "numero_libelle_voie", "lieu_dit", "code_postal_ville")


def person(prenoms: str, nom: str, date_naissance: str) -> str:
    """« LEA CAMILLE DUBOIS, né(e) le 12/05/2016 »."""
    return f"{prenoms} {nom}, né(e) le {day(date_naissance)}"


def certified_person(p: Personne) -> str:
    return person(p.prenoms, p.nom_naissance, p.date_naissance)


def address_lines(adresse: Adresse | None) -> list[str]:
    """The postal lines present, in the order of the postal standard the providers follow."""
    return [getattr(adresse, name) for name in _ADDRESS_LINES if getattr(adresse, name, None)] if adresse else []


def organisation(qf: QuotientFamilial) -> str:
    """« CAF » or « MSA »."""
    return ORGANISATIONS.get(qf.fournisseur, qf.fournisseur)


def qf_label(qf: QuotientFamilial) -> str:
    """« Quotient familial CAF d’octobre 2026 »."""
    return f"Quotient familial {organisation(qf)} {of_month_year(qf.mois, qf.annee)}"


def place(establishment: str | None, town: str | None) -> str:
    """« Université Jean Monnet (Saint-Étienne) »."""
    return " ".join(filter(None, [establishment, town and f"({town})"]))

