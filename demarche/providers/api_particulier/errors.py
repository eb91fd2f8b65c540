"""Exceptions of the API Particulier client, one per kind of failure, each with a message for citizens.

HTTP statuses and error codes: "Gérer les erreurs" in the developer docs and the v3 OpenAPI
(https://particulier.api.gouv.fr/developpeurs/openapi), summarised in shared docs §5.
"""

from __future__ import annotations

MANUAL_ENTRY = "Vous pouvez saisir ces informations vous-même."

# meta.provider of 404 errors → how a citizen knows the organisation
_PROVIDER_NAMES = {
    "CNAF": "la CAF",
    "MSA": "la MSA",
    "CNAF & MSA": "la CAF ou la MSA",
    "RNCPS": "les organismes de sécurité sociale",
    "CNOUS": "le Crous",
    "MESRI": "le ministère de l'Enseignement supérieur",
}


class InvalidRecipient(ValueError):
    """The configured `recipient` is not a valid SIRET: a configuration error, caught before any call."""


class ApiParticulierError(Exception):
    """A call that did not return data; `user_message` is safe to show to the citizen."""

    default_message = "Vos informations n'ont pas pu être récupérées automatiquement."

    def __init__(
        self,
        route: str,
        status: int | None = None,
        code: str = "",
        request_id: str = "",
        detail: str = "",
        provider: str = "",
        retryable: bool = False,
    ):
        super().__init__(f"{route}: HTTP {status} {code} {detail}".strip())
        self.route = route  # path only, never the query string
        self.status = status  # None for network errors
        self.code = code  # first API Particulier error code, e.g. "37999"
        self.request_id = request_id  # X-Request-ID, to give to API Particulier's support
        self.detail = detail  # API Particulier's own text, for operators
        self.provider = provider  # meta.provider, e.g. "CNAF & MSA"
        self.retryable = retryable  # 502/503/504 or connection refused: trying again later may work

    @property
    def user_message(self) -> str:
        return f"{self.default_message} {MANUAL_ENTRY}"


class AuthenticationFailed(ApiParticulierError):
    """401: the service token, or the citizen's FranceConnect access token, was refused."""

    @property
    def user_message(self) -> str:
        if self.code.startswith(("500", "515")):  # FranceConnect token codes (50002 expired…)
            return (
                "Votre connexion FranceConnect a expiré avant la récupération de vos informations. "
                f"Reconnectez-vous pour réessayer. {MANUAL_ENTRY}"
            )
        return f"Le service n'a pas pu s'identifier auprès d'API Particulier. {MANUAL_ENTRY}"


class MissingScope(ApiParticulierError):
    """403: the token is valid but does not give access to this data."""

    @property
    def user_message(self) -> str:
        return f"Ce service n'est pas autorisé à récupérer cette information. {MANUAL_ENTRY}"


class NotFound(ApiParticulierError):
    """404: the provider has no file for this person, a business answer rather than a failure."""

    @property
    def user_message(self) -> str:
        organisation = _PROVIDER_NAMES.get(self.provider, "l'organisme concerné")
        return f"Aucun dossier à votre nom n'a été trouvé auprès de {organisation}. {MANUAL_ENTRY}"


class Unprocessable(ApiParticulierError):
    """422: a parameter was refused; `parameter` names it when API Particulier says which."""

    def __init__(self, *args, parameter: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.parameter = parameter

    @property
    def user_message(self) -> str:
        return f"Votre identité n'a pas pu être utilisée pour rechercher vos informations. {MANUAL_ENTRY}"


class RateLimited(ApiParticulierError):
    """429: too many requests; `retry_after` is in seconds (None when not given)."""

    def __init__(self, *args, retry_after: float | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.retry_after = retry_after

    @property
    def user_message(self) -> str:
        return f"Le service est très sollicité : réessayez dans quelques minutes. {MANUAL_ENTRY}"


class ProviderUnavailable(ApiParticulierError):
    """5xx, 409 or a network error: API Particulier or its provider did not answer usefully."""

    @property
    def user_message(self) -> str:
        return f"L'organisme qui détient ces informations ne répond pas pour le moment. {MANUAL_ENTRY}"


class ProviderTimeout(ProviderUnavailable):
    """No answer in time (client timeout, or 504 from API Particulier)."""

    @property
    def user_message(self) -> str:
        return f"L'organisme qui détient ces informations n'a pas répondu à temps. {MANUAL_ENTRY}"


class InvalidResponse(ApiParticulierError):
    """A 200 whose body is too large, not JSON or not shaped as documented."""


def error_class(status: int) -> type[ApiParticulierError]:
    """The exception class for a non-2xx HTTP status."""
    if status == 504:
        return ProviderTimeout
    if status >= 500 or status == 409:
        return ProviderUnavailable
    return {
        401: AuthenticationFailed,
        403: MissingScope,
        404: NotFound,
        422: Unprocessable,
        429: RateLimited,
    }.get(status, ApiParticulierError)
