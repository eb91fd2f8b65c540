"""The DGFiP's resources a démarche may declare as a source, and one source fetched as a typed result
(reached in the FranceConnect modality only: the DGFiP identifies the citizen from their access token)."""

from __future__ import annotations

from enum import StrEnum

from demarche.providers.impot_particulier.client import ImpotParticulierClient
from demarche.providers.impot_particulier.errors import ImpotParticulierError, MissingScope
from demarche.providers.impot_particulier.models import SituationIR
from demarche.providers.results import Fetched, SourceRequest, SourceResult, timed_result

YEAR_SCOPE_PREFIX = "dgfip_annee_"


class Resource(StrEnum):
    """The API Impôt particulier resources a démarche may declare; each value is the client method's name."""

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


def fetch_one(client: ImpotParticulierClient, request: SourceRequest, fc_access_token: str | None) -> SourceResult:
    """One source; a failure is a result, never raised."""

    def call() -> Fetched:
        if not fc_access_token:  # the identite modality: the DGFiP is not reachable without FranceConnect
            raise MissingScope("/impotparticulier/1.0", detail="modalité FranceConnect seulement")
        year_scopes = [scope for scope in request.scopes if scope.startswith(YEAR_SCOPE_PREFIX)]
        return getattr(client, request.route.value)(fc_access_token=fc_access_token, year_scopes=year_scopes)

    return timed_result(request.key, call, ImpotParticulierError)
