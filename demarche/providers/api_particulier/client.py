"""Client of API Particulier v3: one method per API and modality, typed results, named exceptions.

Reference: the v3 OpenAPI (https://particulier.api.gouv.fr/developpeurs/openapi); calls, timeouts and
HTTP-status → exception mapping only (no business rule, no database, no Flask request), like pass
Culture's connectors. The HTTP exchanges themselves are demarche/providers/http.py's.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeVar

from demarche.identity import PivotIdentity
from demarche.providers.api_particulier.errors import (
    InvalidRecipient,
    InvalidResponse,
    from_transport,
    raise_for_answer,
)
from demarche.providers.api_particulier.models import (
    AllocationAdulteHandicape,
    ComplementaireSanteSolidaire,
    EtudiantBoursier,
    Fetched,
    QuotientFamilialResult,
    RevenuSolidariteActive,
    StatutEtudiant,
)
from demarche.providers.api_particulier.params import (
    CNOUS,
    DSS,
    MESRI,
    IdentityProfile,
    identity_params,
    is_valid_siret,
)
from demarche.providers.http import HttpSession, TransportError
from demarche.resilience import Guard

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
        guard: Guard | None = None,
    ):
        if not is_valid_siret(recipient):
            raise InvalidRecipient(
                f"recipient « {recipient} » n'est pas un SIRET valide (14 chiffres, clé de Luhn)"
            )
        self.recipient = recipient
        self._token = token
        self._session = HttpSession(base_url, timeout=timeout, total_budget=total_budget, user_agent=user_agent,
                                    max_retries=max_retries, backoff=backoff, logger="demarche.api_particulier",
                                    provider="api_particulier", guard=guard)

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
        """Quotient familial; month defaults to now.

        https://particulier.api.gouv.fr/developpeurs/openapi, tag « Quotient familial CAF & MSA ».
        """
        extra = {name: value for name, value in (("annee", annee), ("mois", mois)) if value is not None}
        route = "/v3/dss/quotient_familial"
        return self._fetch(route, QuotientFamilialResult, DSS, fc_access_token, identity, extra=extra)

    def complementaire_sante_solidaire(
        self, *, fc_access_token: str | None = None, identity: PivotIdentity | None = None
    ) -> Fetched[ComplementaireSanteSolidaire]:
        """C2S status.

        https://particulier.api.gouv.fr/developpeurs/openapi, tag « Statut Complémentaire Santé Solidaire (C2S) ».
        """
        route = "/v3/dss/complementaire_sante_solidaire"
        return self._fetch(route, ComplementaireSanteSolidaire, DSS, fc_access_token, identity)

    def revenu_solidarite_active(
        self, *, fc_access_token: str | None = None, identity: PivotIdentity | None = None
    ) -> Fetched[RevenuSolidariteActive]:
        """RSA status.

        https://particulier.api.gouv.fr/developpeurs/openapi, tag « Statut Revenu Solidarité Active (RSA) ».
        """
        route = "/v3/dss/revenu_solidarite_active"
        return self._fetch(route, RevenuSolidariteActive, DSS, fc_access_token, identity)

    def allocation_adulte_handicape(
        self, *, fc_access_token: str | None = None, identity: PivotIdentity | None = None
    ) -> Fetched[AllocationAdulteHandicape]:
        """AAH status.

        https://particulier.api.gouv.fr/developpeurs/openapi, tag « Statut Allocation Adulte Handicapé (AAH) ».
        """
        route = "/v3/dss/allocation_adulte_handicape"
        return self._fetch(route, AllocationAdulteHandicape, DSS, fc_access_token, identity)

    def etudiant_boursier(
        self,
        *,
        fc_access_token: str | None = None,
        identity: PivotIdentity | None = None,
        ine: str | None = None,
    ) -> Fetched[EtudiantBoursier]:
        """CNOUS scholarship, v3 shape.

        https://particulier.api.gouv.fr/developpeurs/openapi, tag « Statut étudiant boursier ».
        """
        route = "/v3/cnous/etudiant_boursier"
        return self._fetch(route, EtudiantBoursier, CNOUS, fc_access_token, identity, ine=ine)

    def statut_etudiant(
        self,
        *,
        fc_access_token: str | None = None,
        identity: PivotIdentity | None = None,
        ine: str | None = None,
    ) -> Fetched[StatutEtudiant]:
        """MESRI student status; one first name only.

        https://particulier.api.gouv.fr/developpeurs/openapi, tag « Statut étudiant ».
        """
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
        try:
            answer = self._session.get(route, params | (extra or {}), fc_access_token or self._token)
        except TransportError as error:
            raise from_transport(error) from error
        body = raise_for_answer(answer)
        try:
            data = result_type.from_json(body["data"])  # type: ignore[attr-defined]
        except (KeyError, TypeError, AttributeError) as exc:
            raise InvalidResponse(route, 200, request_id=answer.request_id, detail="data malformé") from exc
        return Fetched(data, route, answer.request_id, datetime.now(UTC))
