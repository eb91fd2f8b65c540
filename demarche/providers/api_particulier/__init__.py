"""API Particulier v3 (https://particulier.api.gouv.fr/developpeurs/openapi): the client, its exceptions,
its typed results, and `fetch`, which gets a démarche's sources concurrently."""

from demarche.providers.api_particulier.client import ApiParticulierClient
from demarche.providers.api_particulier.errors import (
    ApiParticulierError,
    AuthenticationFailed,
    InvalidRecipient,
    InvalidResponse,
    MissingScope,
    NotFound,
    ProviderTimeout,
    ProviderUnavailable,
    RateLimited,
    Unprocessable,
)
from demarche.providers.api_particulier.models import Fetched, revive
from demarche.providers.api_particulier.sources import Route, SourceRequest, fetch

__all__ = [
    "ApiParticulierClient",
    "ApiParticulierError",
    "AuthenticationFailed",
    "Fetched",
    "InvalidRecipient",
    "InvalidResponse",
    "MissingScope",
    "NotFound",
    "ProviderTimeout",
    "ProviderUnavailable",
    "RateLimited",
    "Route",
    "SourceRequest",
    "Unprocessable",
    "fetch",
    "revive",
]
