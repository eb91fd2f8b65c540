"""API Impôt particulier of the DGFiP (https://api.gouv.fr/les-api/impot-particulier), FranceConnect modality:
the client, its exceptions, its typed results and the resources a démarche may declare."""

from demarche.providers.impot_particulier.client import ImpotParticulierClient
from demarche.providers.impot_particulier.errors import (
    GatewayRefused,
    ImpotParticulierError,
    InvalidResponse,
    MissingScope,
    NotFound,
    RateLimited,
    Timeout,
    TokenRefused,
    Unavailable,
    YearUnavailable,
)
from demarche.providers.impot_particulier.models import Declarant, SituationIR
from demarche.providers.impot_particulier.sources import Resource

__all__ = [
    "Declarant",
    "GatewayRefused",
    "ImpotParticulierClient",
    "ImpotParticulierError",
    "InvalidResponse",
    "MissingScope",
    "NotFound",
    "RateLimited",
    "Resource",
    "SituationIR",
    "Timeout",
    "TokenRefused",
    "Unavailable",
    "YearUnavailable",
]
