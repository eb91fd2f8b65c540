"""API Particulier's sources: the routes, the shared catalogue of source declarations every démarche picks
from (with their wording and same-person checks), and ONE concurrent fetch for all of a démarche's sources.

A source names its route (a Route member); the route table (CALLS) says which client method serves it, called
with the citizen's FranceConnect access token (modality france_connect) or the pivot identity (modality identite).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any

from demarche.identity import PivotIdentity
from demarche.providers.api_particulier.client import ApiParticulierClient
from demarche.providers.api_particulier.errors import ApiParticulierError
from demarche.providers.api_particulier.models import (
    AllocationAdulteHandicape,
    ComplementaireSanteSolidaire,
    EtudiantBoursier,
    Fetched,
    QuotientFamilialResult,
    RevenuSolidariteActive,
    StatutEtudiant,
)
from demarche.providers.datasource import Check, DataSource
from demarche.providers.results import SourceRequest, SourceResult, run_concurrently, timed_result

ORGANISATIONS = {"CNAF": "CAF", "MSA": "MSA"}  # the `fournisseur` of a quotient familial, as families say it


class Route(StrEnum):
    """The API Particulier routes a démarche may declare (served by the client's method in CALLS)."""

    QUOTIENT_FAMILIAL = "quotient_familial"
    COMPLEMENTAIRE_SANTE_SOLIDAIRE = "complementaire_sante_solidaire"
    REVENU_SOLIDARITE_ACTIVE = "revenu_solidarite_active"
    ALLOCATION_ADULTE_HANDICAPE = "allocation_adulte_handicape"
    ETUDIANT_BOURSIER = "etudiant_boursier"
    STATUT_ETUDIANT = "statut_etudiant"

    @property
    def platform(self) -> str:
        return "API Particulier"

    @property
    def model(self) -> type:
        """The typed result of the route, to rebuild a stored snapshot (models.revive)."""
        return _MODELS[self]

    @property
    def holder(self) -> str:
        """Who holds the data, as citizens know the organisation (the OpenAPI's provider of the route)."""
        return _HOLDERS[self][0]

    @property
    def holder_short(self) -> str:
        """The same in a sentence: « L’organisme interrogé (Crous) »."""
        return _HOLDERS[self][1]

    def holder_of(self, value: Any) -> str:
        """Who answered, when the answer says it: « CAF » or « MSA » for a quotient familial."""
        supplier = getattr(getattr(value, "quotient_familial", None), "fournisseur", None)
        return ORGANISATIONS.get(supplier, supplier) if supplier else self.holder


_MODELS: dict[Route, type] = {
    Route.QUOTIENT_FAMILIAL: QuotientFamilialResult,
    Route.COMPLEMENTAIRE_SANTE_SOLIDAIRE: ComplementaireSanteSolidaire,
    Route.REVENU_SOLIDARITE_ACTIVE: RevenuSolidariteActive,
    Route.ALLOCATION_ADULTE_HANDICAPE: AllocationAdulteHandicape,
    Route.ETUDIANT_BOURSIER: EtudiantBoursier,
    Route.STATUT_ETUDIANT: StatutEtudiant,
}

# The route table: which client method serves each route (tests/providers/test_route_tables.py: all of them).
CALLS: dict[Route, Callable[..., Fetched]] = {
    Route.QUOTIENT_FAMILIAL: ApiParticulierClient.quotient_familial,
    Route.COMPLEMENTAIRE_SANTE_SOLIDAIRE: ApiParticulierClient.complementaire_sante_solidaire,
    Route.REVENU_SOLIDARITE_ACTIVE: ApiParticulierClient.revenu_solidarite_active,
    Route.ALLOCATION_ADULTE_HANDICAPE: ApiParticulierClient.allocation_adulte_handicape,
    Route.ETUDIANT_BOURSIER: ApiParticulierClient.etudiant_boursier,
    Route.STATUT_ETUDIANT: ApiParticulierClient.statut_etudiant,
}

_HOLDERS: dict[Route, tuple[str, str]] = {
    Route.QUOTIENT_FAMILIAL: ("CAF ou MSA", "CAF ou MSA"),
    Route.COMPLEMENTAIRE_SANTE_SOLIDAIRE: ("Assurance maladie (CPAM)", "assurance maladie"),
    Route.REVENU_SOLIDARITE_ACTIVE: ("CAF ou MSA", "CAF ou MSA"),
    Route.ALLOCATION_ADULTE_HANDICAPE: ("CAF ou MSA", "CAF ou MSA"),
    Route.ETUDIANT_BOURSIER: ("Cnous (Crous)", "Crous"),
    Route.STATUT_ETUDIANT: ("Ministère de l’Enseignement supérieur", "ministère de l’Enseignement supérieur"),
}


def _birthdate_among_allocataires(value: QuotientFamilialResult, identity: PivotIdentity) -> bool:
    """The CAF/MSA file's allocataires include someone born on the FranceConnect birth date."""
    return bool(identity.birthdate) and identity.birthdate in {p.date_naissance for p in value.allocataires or ()}


# A provider answers for a household: the service makes sure the FranceConnect birth date is one of its
# members', as etalab/formulaire-qf does before using a quotient familial
# (https://github.com/etalab/formulaire-qf/blob/main/app/interactors/verify_family_quotient.rb).
BIRTHDATE_AMONG_ALLOCATAIRES = Check(
    "votre date de naissance transmise par FranceConnect doit être celle d’un allocataire de votre dossier CAF ou MSA",
    _birthdate_among_allocataires)

# The catalogue. Keys are the APIs' names (the simulators' test-identity page proposes a démarche by them);
# scopes, fields and categories are the least each use needs (RGPD art. 5.1.c). A démarche sets its purpose:
# `QUOTIENT_FAMILIAL.to("appliquer le tarif solidaire")`.
QUOTIENT_FAMILIAL = DataSource(
    key="quotient_familial", route=Route.QUOTIENT_FAMILIAL, fields=("quotient_familial",),
    label="votre quotient familial (et, pour vérifier qu’il s’agit de vous, les allocataires de votre foyer)",
    scopes=("cnaf_quotient_familial", "cnaf_allocataires"), categories=("quotient familial", "allocataires"),
    check=BIRTHDATE_AMONG_ALLOCATAIRES)
QUOTIENT_FAMILIAL_FOYER = DataSource(  # the quotient, and the children and address that spare other papers
    key="quotient_familial", route=Route.QUOTIENT_FAMILIAL,
    label="votre quotient familial, les allocataires et les enfants de votre foyer, votre adresse",
    scopes=("cnaf_quotient_familial", "cnaf_allocataires", "cnaf_enfants", "cnaf_adresse"),
    categories=("quotient familial", "allocataires", "enfants", "adresse"), check=BIRTHDATE_AMONG_ALLOCATAIRES)
COMPLEMENTAIRE_SANTE_SOLIDAIRE = DataSource(
    key="complementaire_sante_solidaire", route=Route.COMPLEMENTAIRE_SANTE_SOLIDAIRE, fields=("est_beneficiaire",),
    label="votre droit à la complémentaire santé solidaire", scopes=("complementaire_sante_solidaire",),
    categories=("complémentaire santé solidaire",),
    # the assurance maladie has no C2S file for this person: certified « not a beneficiary », not asked again
    not_found=ComplementaireSanteSolidaire(est_beneficiaire=False, avec_participation=None, date_debut_droit=None))
ETUDIANT_BOURSIER = DataSource(
    key="etudiant_boursier", route=Route.ETUDIANT_BOURSIER,
    label="votre statut d’étudiant boursier, l’échelon de votre bourse et votre établissement d’études",
    scopes=("cnous_statut_boursier", "cnous_echelon_bourse", "cnous_etablissement_etudes", "cnous_ville_etudes"),
    fields=("est_boursier", "echelon", "nom_etablissement", "nom_commune_etudes"),
    categories=("statut d’étudiant boursier", "échelon de bourse", "établissement d’études"))


def fetch(client: ApiParticulierClient, requests: Sequence[SourceRequest], *,
          fc_access_token: str | None = None, identity: PivotIdentity | None = None) -> dict[str, SourceResult]:
    """Every request at once (the slowest provider sets the time); a failure is a result, never raised."""
    if (fc_access_token is None) == (identity is None):
        raise ValueError("give exactly one of fc_access_token or identity")
    credential = {"fc_access_token": fc_access_token} if fc_access_token else {"identity": identity}
    calls = {r.key: (lambda r=r: fetch_one(client, r, credential)) for r in requests}
    return run_concurrently(calls, prefix="api-particulier")


def fetch_one(client: ApiParticulierClient, request: SourceRequest, credential: dict) -> SourceResult:
    """One source; a failure is a result, never raised. credential: fc_access_token= or identity=."""
    return timed_result(request.key, lambda: CALLS[request.route](client, **credential), ApiParticulierError)
