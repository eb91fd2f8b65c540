"""The DGFiP's resources a démarche may declare as a source, their shared declaration (wording, same-person
check), and one source fetched as a typed result (reached in the FranceConnect modality only: the DGFiP
identifies the citizen from their access token)."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from demarche.identity import PivotIdentity
from demarche.providers.datasource import Check, DataSource
from demarche.providers.impot_particulier.client import ImpotParticulierClient
from demarche.providers.impot_particulier.errors import ImpotParticulierError, MissingScope
from demarche.providers.impot_particulier.models import SituationIR
from demarche.providers.results import Fetched, SourceRequest, SourceResult, timed_result

YEAR_SCOPE_PREFIX = "dgfip_annee_"


class Resource(StrEnum):
    """The API Impôt particulier resources a démarche may declare (served by the client's method in CALLS)."""

    SITUATION_IR = "situation_ir"

    @property
    def platform(self) -> str:
        return "API Impôt particulier"

    @property
    def model(self) -> type:
        return SituationIR

    @property
    def holder(self) -> str:
        return "Direction générale des Finances publiques (DGFiP)"

    @property
    def holder_short(self) -> str:
        return "DGFiP"

    def holder_of(self, value: object) -> str:
        return self.holder


def _birthdate_among_declarants(value: SituationIR, identity: PivotIdentity) -> bool:
    """The tax household's declarant 1 or 2 (dateNaisDec1/dateNaisDec2) was born on the FranceConnect birth date."""
    return bool(identity.birthdate) and identity.birthdate in value.birth_dates


BIRTHDATE_AMONG_DECLARANTS = Check(
    "votre date de naissance transmise par FranceConnect doit être celle d’un déclarant de votre avis d’impôt",
    _birthdate_among_declarants)

SITUATION_IR = DataSource(
    key="revenu_fiscal", route=Resource.SITUATION_IR,
    label="votre revenu fiscal de référence, le nombre de parts, votre situation de famille, le nombre de "
          "personnes à charge et l’adresse déclarée de votre dernier avis d’impôt sur le revenu",
    # dgfip_dateNaisDec1/2: the declarants' birth dates, read for the check and never kept;
    # one year scope: the latest taxed year (N-1 after late July, N-2 before), names as FranceConnect's
    # https://github.com/france-connect/sources/blob/7a8566f690b9c67955757b32dbe5671246901d29/back/libs/scopes/src/data/dgfip/dgfip.claims.ts
    scopes=("dgfip_rfr", "dgfip_nbpart", "dgfip_sitfam", "dgfip_pac_nbPac", "dgfip_aft", "dgfip_dateNaisDec1",
            "dgfip_dateNaisDec2", "dgfip_annee_n_moins_2_si_indispo_n_moins_1"),
    fields=("annee_revenus", "revenu_fiscal_reference", "nombre_parts", "situation_famille", "personnes_a_charge",
            "adresse"),
    categories=("revenu fiscal de référence", "nombre de parts", "situation de famille", "personnes à charge",
                "adresse déclarée"),
    check=BIRTHDATE_AMONG_DECLARANTS)


# The route table: which client method serves each resource.
CALLS: dict[Resource, Callable[..., Fetched]] = {Resource.SITUATION_IR: ImpotParticulierClient.situation_ir}


def fetch_one(client: ImpotParticulierClient, request: SourceRequest, fc_access_token: str | None) -> SourceResult:
    """One source; a failure is a result, never raised."""

    def call() -> Fetched:
        if not fc_access_token:  # the identite modality: the DGFiP is not reachable without FranceConnect
            raise MissingScope("/impotparticulier/1.0", detail="modalité FranceConnect seulement")
        year_scopes = [scope for scope in request.scopes if scope.startswith(YEAR_SCOPE_PREFIX)]
        return CALLS[request.route](client, fc_access_token=fc_access_token, year_scopes=year_scopes)

    return timed_result(request.key, call, ImpotParticulierError)
