"""A démarche's sources fetched from API Particulier: ONE call for all of them, concurrent, typed results.

A source names its route (a Route member); the client's method of the same name is called, with the
citizen's FranceConnect access token (modality france_connect) or the pivot identity (modality identite).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from demarche.identity import PivotIdentity
from demarche.providers.api_particulier.client import ApiParticulierClient
from demarche.providers.api_particulier.errors import ApiParticulierError
from demarche.providers.api_particulier.models import (
    AllocationAdulteHandicape,
    ComplementaireSanteSolidaire,
    EtudiantBoursier,
    QuotientFamilialResult,
    RevenuSolidariteActive,
    StatutEtudiant,
)
from demarche.providers.results import SourceRequest, SourceResult, run_concurrently, timed_result


class Route(StrEnum):
    """The API Particulier routes a démarche may declare; each value is the client method's name."""

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


_MODELS: dict[Route, type] = {
    Route.QUOTIENT_FAMILIAL: QuotientFamilialResult,
    Route.COMPLEMENTAIRE_SANTE_SOLIDAIRE: ComplementaireSanteSolidaire,
    Route.REVENU_SOLIDARITE_ACTIVE: RevenuSolidariteActive,
    Route.ALLOCATION_ADULTE_HANDICAPE: AllocationAdulteHandicape,
    Route.ETUDIANT_BOURSIER: EtudiantBoursier,
    Route.STATUT_ETUDIANT: StatutEtudiant,
}

_HOLDERS: dict[Route, tuple[str, str]] = {
    Route.QUOTIENT_FAMILIAL: ("CAF ou MSA", "CAF ou MSA"),
    Route.COMPLEMENTAIRE_SANTE_SOLIDAIRE: ("Assurance maladie (CPAM)", "assurance maladie"),
    Route.REVENU_SOLIDARITE_ACTIVE: ("CAF ou MSA", "CAF ou MSA"),
    Route.ALLOCATION_ADULTE_HANDICAPE: ("CAF ou MSA", "CAF ou MSA"),
    Route.ETUDIANT_BOURSIER: ("Cnous (Crous)", "Crous"),
    Route.STATUT_ETUDIANT: ("Ministère de l’Enseignement supérieur", "ministère de l’Enseignement supérieur"),
}


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
    return timed_result(request.key, lambda: getattr(client, request.route.value)(**credential), ApiParticulierError)
