"""Who may call the simulator: the service's token, or a citizen's FranceConnect token checked at the
FranceConnect simulator's /checktoken with the data-provider credentials (AP_SIM_DATA_PROVIDER_*).
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from demarche_sandbox.api_particulier.catalogue import Api, route_scopes
from demarche_sandbox.api_particulier.errors import SimError, token_error
from demarche_sandbox.api_particulier.params import Criteria

PIVOT_CLAIMS = ("family_name", "given_name", "birthdate", "gender", "birthcountry")  # birthplace "" abroad
CHECKTOKEN_TIMEOUT = 3.0


@dataclass(frozen=True)
class Grant:
    """What the caller may see: `scopes` None = everything; `identity` set for FranceConnect tokens."""

    scopes: frozenset[str] | None
    identity: Criteria | None = None

    def allows(self, api: Api) -> bool:
        return self.scopes is None or bool(route_scopes(api) & self.scopes)


def bearer(authorization: str) -> str:
    scheme, _, value = authorization.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def service_grant(token: str, tokens: dict[str, list[str]], path: str) -> Grant:
    """A service token: "*" or a route prefix ("/v3/dss") opens whole routes; scope names mask keys."""
    if not token or token not in tokens:
        raise token_error("00101")
    entries = tokens[token]
    if "*" in entries or any(entry.startswith("/") and path.startswith(entry) for entry in entries):
        return Grant(scopes=None)
    return Grant(scopes=frozenset(entry for entry in entries if not entry.startswith("/")))


# One client for every call: creating an httpx.Client builds an SSL context (~30 ms of CPU), which the
# benchmark showed as the simulator's main cost. No keep-alive: each call opens a fresh loopback connection,
# so no pooled socket outlives the FranceConnect simulator it was opened to (the tests start many).
_HTTP = httpx.Client(timeout=CHECKTOKEN_TIMEOUT, limits=httpx.Limits(max_keepalive_connections=0))


def _checktoken(issuer: str, token: str, credentials: tuple[str, str]) -> httpx.Response:
    form = {"token": token, "client_id": credentials[0], "client_secret": credentials[1]}
    try:
        return _HTTP.post(f"{issuer}/checktoken", data=form)
    except httpx.HTTPError as exc:
        raise _franceconnect_down() from exc


def _franceconnect_down() -> SimError:
    # No documented code: the provider-prefix pattern (xx999) with FranceConnect's prefix 50 (⚠ ours).
    return SimError(
        502,
        "50999",
        title="Erreur inconnue du fournisseur de données",
        detail="FranceConnect n'a pas pu vérifier le jeton d'accès.",
        meta={"provider": "FranceConnect"},
    )


def france_connect_grant(token: str, issuer: str, credentials: tuple[str, str]) -> Grant:
    """Introspect a citizen's FranceConnect token with the data provider's (client_id, client_secret):
    its identity and the data scopes granted."""
    if not token:
        raise token_error("50004")
    response = _checktoken(issuer, token, credentials)
    if response.status_code >= 500:
        raise _franceconnect_down()
    try:
        claims = response.json() if response.status_code == 200 else {}
    except ValueError as exc:
        raise _franceconnect_down() from exc
    if response.status_code == 400 and "invalid_request" in response.text:
        raise token_error("50001")
    if not isinstance(claims, dict) or claims.get("active") is not True:
        raise token_error("50002")
    scopes = frozenset(str(claims.get("scope", "")).split())
    if not all(claims.get(name) for name in PIVOT_CLAIMS):
        error = token_error("50003")
        error.entry["detail"] = error.entry["detail"].format(scopes=" ".join(sorted(scopes)) or "aucun")
        raise error
    return Grant(scopes=scopes, identity=Criteria.from_claims(claims))
