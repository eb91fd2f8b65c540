"""Exceptions of the API Particulier client, one per kind of failure (data or a named exception, never text
for the citizen), and the mapping from an HTTP answer (status, JSON:API `errors`) to them.

HTTP statuses and error codes: "Gérer les erreurs" in the developer docs
(https://particulier.api.gouv.fr/developpeurs) and the v3 OpenAPI
(https://particulier.api.gouv.fr/developpeurs/openapi).
"""

from __future__ import annotations

from typing import Any

from demarche.providers.http import (
    RETRYABLE_STATUSES,
    HttpAnswer,
    HttpQuotaExceeded,
    HttpTimeout,
    HttpTooLarge,
    TransportError,
)
from demarche.providers.results import FailureKind


class InvalidRecipient(ValueError):
    """The configured `recipient` is not a valid SIRET: a configuration error, caught before any call."""


class ApiParticulierError(Exception):
    """A call that did not return data. No wording here: the journey says it to the citizen, by kind
    (templates/journey/_prefill_status.html)."""

    kind = FailureKind.ERROR

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


class AuthenticationFailed(ApiParticulierError):
    """401: the service token, or the citizen's FranceConnect access token, was refused."""

    kind = FailureKind.EXPIRED


class MissingScope(ApiParticulierError):
    """403: the token is valid but does not give access to this data."""

    kind = FailureKind.SCOPE


class NotFound(ApiParticulierError):
    """404: the provider has no file for this person, a business answer rather than a failure."""

    kind = FailureKind.NOT_FOUND


class Unprocessable(ApiParticulierError):
    """422: a parameter was refused; `parameter` names it when API Particulier says which."""

    def __init__(self, *args, parameter: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.parameter = parameter


class RateLimited(ApiParticulierError):
    """429: too many requests; `retry_after` is in seconds (None when not given)."""

    kind = FailureKind.RATE_LIMITED

    def __init__(self, *args, retry_after: float | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.retry_after = retry_after


class ProviderUnavailable(ApiParticulierError):
    """5xx, 409 or a network error: API Particulier or its provider did not answer usefully."""

    kind = FailureKind.UNAVAILABLE


class ProviderTimeout(ProviderUnavailable):
    """No answer in time (client timeout, or 504 from API Particulier)."""


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


def from_transport(error: TransportError) -> ApiParticulierError:
    """The exception for an exchange that gave no usable answer (timeout, refused connection, huge body)."""
    if isinstance(error, HttpQuotaExceeded):
        return RateLimited(error.route, None, request_id=error.request_id, detail=error.detail,
                           retry_after=error.retry_in)
    cls = ProviderTimeout if isinstance(error, HttpTimeout) else (
        InvalidResponse if isinstance(error, HttpTooLarge) else ProviderUnavailable)
    return cls(error.route, error.status, request_id=error.request_id, detail=error.detail,
               retryable=error.retryable)


def raise_for_answer(answer: HttpAnswer) -> dict[str, Any]:
    """The JSON object of a 200; else raise its exception, keeping the first error's code, detail, provider."""
    route, status, payload = answer.route, answer.status, answer.payload
    if status == 200:
        if not isinstance(payload, dict):
            raise InvalidResponse(route, status, request_id=answer.request_id, detail="JSON attendu")
        return payload
    errors = payload.get("errors") if isinstance(payload, dict) else None
    first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
    meta = first.get("meta") if isinstance(first.get("meta"), dict) else {}
    source = first.get("source") if isinstance(first.get("source"), dict) else {}
    kwargs: dict[str, Any] = {
        "code": str(first.get("code", "")), "request_id": answer.request_id, "detail": str(first.get("detail", "")),
        "provider": str(meta.get("provider", "")), "retryable": status in RETRYABLE_STATUSES,
    }
    cls = error_class(status)
    if cls is Unprocessable:
        kwargs["parameter"] = str(source.get("parameter", ""))
    if cls is RateLimited:
        kwargs["retry_after"] = answer.retry_after
    raise cls(route, status, **kwargs)
