"""Exceptions of the API Impôt particulier client, one per kind of failure (data or a named exception, never
text for the citizen),
and the mapping from an HTTP answer (status, `erreur.codeapp`) to them.

Statuses and codeapp values: the DGFiP's OpenAPI (docs/specs/api-impot-particulier-openapi.json, published on
https://api.gouv.fr/les-api/impot-particulier): 400, 403 (4031 « pas accès à la ressource »), 410 (4101 « aucun
résultat » for the year, 4102 « ne correspond à aucun usager »), 500 « Erreur technique ».
"""

from __future__ import annotations

from typing import Any

from demarche.providers.http import RETRYABLE_STATUSES, HttpAnswer, HttpTimeout, TransportError
from demarche.providers.results import FailureKind

YEAR_UNAVAILABLE = 4101
NO_TAXPAYER = 4102


class ImpotParticulierError(Exception):
    """A call that did not return data. No wording here: the journey says it to the citizen, by kind
    (templates/journey/_prefill_status.html)."""

    kind = FailureKind.ERROR

    def __init__(self, route: str, status: int | None = None, codeapp: int | None = None, request_id: str = "",
                 detail: str = "", retryable: bool = False):
        super().__init__(f"{route}: HTTP {status} {codeapp or ''} {detail}".strip())
        self.route = route  # path only: the income year, never a person
        self.status = status  # None for network errors
        self.codeapp = codeapp  # the DGFiP's erreur.codeapp, e.g. 4101
        self.request_id = request_id  # the X-Correlation-ID the client sent, to give to the DGFiP's support
        self.detail = detail  # the DGFiP's own text, for operators
        self.retryable = retryable


class NotFound(ImpotParticulierError):
    """404, or 410 with codeapp 4102: the citizen is no declarant of a tax household (e.g. attached to
    their parents' household), a business answer rather than a failure."""

    kind = FailureKind.NOT_FOUND


class YearUnavailable(ImpotParticulierError):
    """410 with codeapp 4101: no assessment for that income year (not taxed yet, or no declaration)."""

    kind = FailureKind.YEAR_UNAVAILABLE


class MissingScope(ImpotParticulierError):
    """403 (codeapp 4031), or a gateway token refused for the resource: the service may not read this."""

    kind = FailureKind.SCOPE


class TokenRefused(ImpotParticulierError):
    """403 without codeapp: the citizen's FranceConnect access token was refused (expired after a minute)."""

    kind = FailureKind.EXPIRED


class GatewayRefused(ImpotParticulierError):
    """The gateway refused the service's own credentials (client_id/secret, 401): a configuration error."""


class RateLimited(ImpotParticulierError):
    """429: too many requests."""

    kind = FailureKind.RATE_LIMITED


class Unavailable(ImpotParticulierError):
    """5xx, a network error, a timeout or an unusable answer."""

    kind = FailureKind.UNAVAILABLE


class Timeout(Unavailable):
    """No answer in time."""


class InvalidResponse(Unavailable):
    """A 200 whose body is too large, not JSON or not shaped as documented."""


def from_transport(error: TransportError) -> ImpotParticulierError:
    cls = Timeout if isinstance(error, HttpTimeout) else Unavailable
    return cls(error.route, error.status, request_id=error.request_id, detail=error.detail,
               retryable=error.retryable)


def error_for(answer: HttpAnswer) -> ImpotParticulierError:
    """The exception of a non-200 answer of a resource."""
    status, payload = answer.status, answer.payload
    body = payload.get("erreur") if isinstance(payload, dict) and isinstance(payload.get("erreur"), dict) else {}
    codeapp = body.get("codeapp") if isinstance(body.get("codeapp"), int) else None
    kwargs: dict[str, Any] = {"codeapp": codeapp, "request_id": answer.request_id,
                              "detail": str(body.get("message", ""))[:200],
                              "retryable": status in RETRYABLE_STATUSES}
    if status == 404 or (status == 410 and codeapp != YEAR_UNAVAILABLE):
        cls: type[ImpotParticulierError] = NotFound
    elif status == 410:
        cls = YearUnavailable
    elif status in (401, 403):
        cls = MissingScope if codeapp is not None else TokenRefused
    elif status == 429:
        cls = RateLimited
    elif status == 504:
        cls = Timeout
    elif status >= 500:
        cls = Unavailable
    else:
        cls = ImpotParticulierError
    return cls(answer.route, status, **kwargs)
