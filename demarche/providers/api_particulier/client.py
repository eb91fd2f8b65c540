"""Client of API Particulier v3: one method per API and modality, typed results, named exceptions.

Reference: the v3 OpenAPI (https://particulier.api.gouv.fr/developpeurs/openapi); calls and
HTTP-status → exception mapping only (no database, no Flask request), like pass Culture's connectors.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, TypeVar

from demarche.api_particulier_errors import (
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
from demarche.api_particulier_http import HttpSession
from demarche.api_particulier_models import (
    Admission,
    Adresse,
    AllocationAdulteHandicape,
    ComplementaireSanteSolidaire,
    EtudiantBoursier,
    Fetched,
    Personne,
    QuotientFamilial,
    QuotientFamilialResult,
    RevenuSolidariteActive,
    StatutEtudiant,
)
from demarche.api_particulier_params import (
    CNOUS,
    DSS,
    MESRI,
    IdentityProfile,
    identity_params,
    is_valid_siret,
)
from demarche.identity import PivotIdentity

T = TypeVar("T")


class ApiParticulierClient:
    """One service's access to API Particulier; thread-safe, so calls can run concurrently."""

    def __init__(
        self,
        base_url: str,
        recipient: str,
        token: str = "",
        timeout: float = 5.0,
        total_budget: float = 12.0,
        user_agent: str = "Demarche/0.1",
        max_retries: int = 2,
        backoff: float = 0.2,
    ):
        if not is_valid_siret(recipient):
            raise InvalidRecipient(
                f"recipient « {recipient} » n'est pas un SIRET valide (14 chiffres, clé de Luhn)"
            )
        self.recipient = recipient
        self._token = token
        self._session = HttpSession(base_url, timeout, total_budget, user_agent, max_retries, backoff)

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> ApiParticulierClient:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def quotient_familial(
        self,
        *,
        fc_access_token: str | None = None,
        identity: PivotIdentity | None = None,
        annee: int | None = None,
        mois: int | None = None,
    ) -> Fetched[QuotientFamilialResult]:
        """Quotient familial (OpenAPI tag « Quotient familial CAF & MSA »); month defaults to now."""
        extra = {name: value for name, value in (("annee", annee), ("mois", mois)) if value is not None}
        route = "/v3/dss/quotient_familial"
        return self._fetch(route, QuotientFamilialResult, DSS, fc_access_token, identity, extra=extra)

    def complementaire_sante_solidaire(
        self, *, fc_access_token: str | None = None, identity: PivotIdentity | None = None
    ) -> Fetched[ComplementaireSanteSolidaire]:
        """C2S status (OpenAPI tag « Statut Complémentaire Santé Solidaire (C2S) »)."""
        route = "/v3/dss/complementaire_sante_solidaire"
        return self._fetch(route, ComplementaireSanteSolidaire, DSS, fc_access_token, identity)

    def revenu_solidarite_active(
        self, *, fc_access_token: str | None = None, identity: PivotIdentity | None = None
    ) -> Fetched[RevenuSolidariteActive]:
        """RSA status (OpenAPI tag « Statut Revenu Solidarité Active (RSA) »)."""
        route = "/v3/dss/revenu_solidarite_active"
        return self._fetch(route, RevenuSolidariteActive, DSS, fc_access_token, identity)

    def allocation_adulte_handicape(
        self, *, fc_access_token: str | None = None, identity: PivotIdentity | None = None
    ) -> Fetched[AllocationAdulteHandicape]:
        """AAH status (OpenAPI tag « Statut Allocation Adulte Handicapé (AAH) »)."""
        route = "/v3/dss/allocation_adulte_handicape"
        return self._fetch(route, AllocationAdulteHandicape, DSS, fc_access_token, identity)

    def etudiant_boursier(
        self,
        *,
        fc_access_token: str | None = None,
        identity: PivotIdentity | None = None,
        ine: str | None = None,
    ) -> Fetched[EtudiantBoursier]:
        """CNOUS scholarship, v3 shape (OpenAPI tag « Statut étudiant boursier »)."""
        route = "/v3/cnous/etudiant_boursier"
        return self._fetch(route, EtudiantBoursier, CNOUS, fc_access_token, identity, ine=ine)

    def statut_etudiant(
        self,
        *,
        fc_access_token: str | None = None,
        identity: PivotIdentity | None = None,
        ine: str | None = None,
    ) -> Fetched[StatutEtudiant]:
        """MESRI student status (OpenAPI tag « Statut étudiant »); one first name only."""
        return self._fetch(
            "/v3/mesri/statut_etudiant", StatutEtudiant, MESRI, fc_access_token, identity, ine=ine
        )

    def _fetch(
        self,
        base: str,
        result_type: type[T],
        profile: IdentityProfile,
        fc_access_token: str | None,
        identity: PivotIdentity | None,
        ine: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> Fetched[T]:
        """Pick the modality from the one credential given, call it, parse `data`."""
        given = [
            name
            for name, value in (("france_connect", fc_access_token), ("identite", identity), ("ine", ine))
            if value
        ]
        if len(given) != 1:
            raise ValueError("give exactly one of fc_access_token, identity or ine")
        params: dict[str, Any] = {"recipient": self.recipient}
        if identity is not None:
            params.update(identity_params(identity, profile))
        elif ine:
            params["ine"] = ine
        route = f"{base}/{given[0]}"
        body, request_id = self._session.get(route, params | (extra or {}), fc_access_token or self._token)
        try:
            data = result_type.from_json(body["data"])  # type: ignore[attr-defined]
        except (KeyError, TypeError, AttributeError) as exc:
            raise InvalidResponse(route, 200, request_id=request_id, detail="data malformé") from exc
        return Fetched(data, route, request_id, datetime.now(UTC))


def fetch_concurrently(
    calls: dict[str, Callable[[], Fetched]], max_workers: int | None = None
) -> dict[str, Fetched | ApiParticulierError]:
    """Run the calls in threads: a prefill costs its slowest provider, not the sum of all of them."""
    if not calls:
        return {}
    with ThreadPoolExecutor(
        max_workers=max_workers or len(calls), thread_name_prefix="api-particulier"
    ) as pool:
        futures = {name: pool.submit(call) for name, call in calls.items()}
    results: dict[str, Fetched | ApiParticulierError] = {}
    for name, future in futures.items():
        try:
            results[name] = future.result()
        except ApiParticulierError as error:
            results[name] = error
    return results


__all__ = [
    "Adresse",
    "Admission",
    "AllocationAdulteHandicape",
    "ApiParticulierClient",
    "ApiParticulierError",
    "AuthenticationFailed",
    "ComplementaireSanteSolidaire",
    "EtudiantBoursier",
    "Fetched",
    "InvalidRecipient",
    "InvalidResponse",
    "MissingScope",
    "NotFound",
    "Personne",
    "ProviderTimeout",
    "ProviderUnavailable",
    "QuotientFamilial",
    "QuotientFamilialResult",
    "RateLimited",
    "RevenuSolidariteActive",
    "StatutEtudiant",
    "Unprocessable",
    "fetch_concurrently",
]
