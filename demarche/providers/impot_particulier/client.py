"""Client of the DGFiP's API Impôt particulier, FranceConnect modality: the gateway token (OAuth 2.0 client
credentials, cached until it expires), then ONE call per income year with the citizen's FranceConnect access
token in X-FranceConnect-OAuth. The HTTP exchanges are demarche/providers/http.py's.

Reference: the DGFiP's OpenAPI (docs/specs/api-impot-particulier-openapi.json, https://api.gouv.fr/les-api/impot-particulier)
and its « Présentation fonctionnelle de l'API Impôt particulier » v2.9
(https://github.com/etalab/data_pass/blob/c3a17f12/public/cgus/dgfip/presentation_de_l_api_impot_particulier_v2.9.pdf).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime

from demarche.providers.http import HttpAnswer, HttpSession, TransportError
from demarche.providers.impot_particulier.errors import (
    GatewayRefused,
    ImpotParticulierError,
    InvalidResponse,
    MissingScope,
    YearUnavailable,
    error_for,
    from_transport,
)
from demarche.providers.impot_particulier.models import SituationIR
from demarche.providers.impot_particulier.years import years_to_ask
from demarche.providers.results import Fetched
from demarche.resilience import Guard

BASE = "/impotparticulier/1.0"
RESOURCE = "RessourceIR"  # the gateway scope of /situations/ir/assiettes (least privilege: only this one)


def paris_today() -> date:
    from demarche.dates import PARIS

    return datetime.now(PARIS).date()


class ImpotParticulierClient:
    """One service's access to API Impôt particulier; thread-safe, so calls can run concurrently."""

    def __init__(self, base_url: str, client_id: str, client_secret: str, id_teleservice: str, *,
                 timeout: float = 5.0, total_budget: float = 12.0, user_agent: str = "Demarche/0.1",
                 max_retries: int = 2, backoff: float = 0.2, today: Callable[[], date] = paris_today,
                 guard: Guard | None = None):
        self._credentials = (client_id, client_secret)
        self.id_teleservice = id_teleservice
        self.today = today
        self._session = HttpSession(base_url, timeout=timeout, total_budget=total_budget, user_agent=user_agent,
                                    max_retries=max_retries, backoff=backoff, logger="demarche.impot_particulier",
                                    provider="impot_particulier", guard=guard)
        self._lock = threading.Lock()
        self._token: tuple[str, float] | None = None  # (access token, monotonic expiry)

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> ImpotParticulierClient:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def situation_ir(self, *, fc_access_token: str, year_scopes: Iterable[str]) -> Fetched[SituationIR]:
        """The IR assessment of the latest income year the year scopes open: N-1 once taxed (late July),
        else N-2; after a 410/4101 for N-1, N-2 when the scopes open it too. One call per year."""
        years = years_to_ask(frozenset(year_scopes), self.today())
        if not years:
            raise MissingScope(f"{BASE}/situations/ir/assiettes/annrev", detail="aucun scope d'année")
        for year in years:
            try:
                return self._situation(year, fc_access_token)
            except YearUnavailable:
                if year == years[-1]:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _situation(self, year: int, fc_access_token: str) -> Fetched[SituationIR]:
        route = f"{BASE}/situations/ir/assiettes/annrev/{year}"
        answer, reused = self._get(route, fc_access_token)
        if reused and answer.status in (401, 403) and not _has_codeapp(answer):
            # Perhaps the gateway dropped our cached token before its announced expiry: one more try with a
            # new one (a refused FranceConnect token fails again, and is said so).
            self._forget_token()
            answer, _ = self._get(route, fc_access_token)
        if answer.status != 200:
            raise error_for(answer)
        try:
            data = SituationIR.from_json(answer.payload, year)
        except (TypeError, ValueError) as exc:
            raise InvalidResponse(route, 200, request_id=answer.request_id, detail="corps malformé") from exc
        return Fetched(data, route, answer.request_id, datetime.now(UTC))

    def _get(self, route: str, fc_access_token: str) -> tuple[HttpAnswer, bool]:
        """The answer, and whether the gateway token came from the cache."""
        headers = {"X-FranceConnect-OAuth": fc_access_token, "X-Correlation-ID": str(uuid.uuid4()),
                   "ID_Teleservice": self.id_teleservice,
                   "Accept": "application/prs.dgfip.part.situations.ir.assiettes.v1+json, application/json"}
        bearer, reused = self._bearer()
        try:
            return self._session.get(route, {}, bearer, headers=headers), reused
        except TransportError as error:
            raise from_transport(error) from error

    def _bearer(self) -> tuple[str, bool]:
        """The gateway token, fetched once and shared by every thread until shortly before it expires."""
        with self._lock:
            if self._token and self._token[1] > time.monotonic():
                return self._token[0], True
            try:
                answer = self._session.post_form("/token", {"grant_type": "client_credentials", "scope": RESOURCE},
                                                 self._credentials)
            except TransportError as error:
                raise from_transport(error) from error
            payload = answer.payload if isinstance(answer.payload, dict) else {}
            if answer.status != 200 or not payload.get("access_token"):
                raise _token_error(answer, payload)
            lifetime = float(payload.get("expires_in") or 300)
            self._token = (str(payload["access_token"]), time.monotonic() + max(lifetime - 30, lifetime * 0.5))
            return self._token[0], False

    def _forget_token(self) -> None:
        with self._lock:
            self._token = None


def _has_codeapp(answer: HttpAnswer) -> bool:
    body = answer.payload.get("erreur") if isinstance(answer.payload, dict) else None
    return isinstance(body, dict) and body.get("codeapp") is not None


def _token_error(answer: HttpAnswer, payload: dict) -> ImpotParticulierError:
    """RFC 6749 section 5.2 errors of the gateway's /token; its faults (5xx, 429) as a resource's."""
    if payload.get("error") == "invalid_scope":
        return MissingScope("/token", answer.status, detail="ressource non souscrite")
    if answer.status in (400, 401):
        return GatewayRefused("/token", answer.status, detail=str(payload.get("error", ""))[:100])
    return error_for(answer)
