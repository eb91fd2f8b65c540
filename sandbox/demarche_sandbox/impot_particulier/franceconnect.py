"""The DGFiP as a FranceConnect data provider: the citizen's token is checked at <issuer>/checktoken.

FranceConnect v2 data-provider flow: POST {issuer}/checktoken, form token + client_id + client_secret, answer
`token_introspection` {active, aud, sub, scope, pivot identity, ...}
(https://github.com/france-connect/sources/blob/22efde4f3650c095df6ea6e8b78ea2739f91a247/back/libs/data-provider-adapter-core/src/data-provider-adapter-core.service.ts).
The real answer is a JWE wrapping a JWS whose payload holds `token_introspection`; the FranceConnect
simulator answers the introspection as plain JSON: both shapes are read.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from demarche_sandbox.impot_particulier.errors import DgfipError, denied
from demarche_sandbox.impot_particulier.settings import Settings

PIVOT = ("given_name", "family_name", "birthdate", "gender", "birthplace", "birthcountry")

# No keep-alive: each check opens a fresh loopback connection, so no pooled socket outlives the
# FranceConnect simulator it was opened to (tests start many).
_HTTP = httpx.Client(limits=httpx.Limits(max_keepalive_connections=0), trust_env=False)


@dataclass(frozen=True)
class Citizen:
    """What FranceConnect says about the token: its scopes and the RNIPP pivot identity."""

    scopes: frozenset[str]
    identity: dict[str, str]


def _technical(detail: str) -> DgfipError:
    # The OpenAPI's only documented server error is "500 Erreur technique".
    return DgfipError(500, f"Erreur technique : {detail}")


def check_token(token: str, settings: Settings) -> Citizen:
    """Introspect the X-FranceConnect-OAuth token: 403 when inactive, 500 when FranceConnect fails."""
    form = {"token": token, "client_id": settings.fc_client_id, "client_secret": settings.fc_client_secret}
    try:
        response = _HTTP.post(f"{settings.fc_issuer}/checktoken", data=form, timeout=settings.fc_timeout)
    except httpx.HTTPError as exc:
        raise _technical("FranceConnect injoignable pour vérifier le jeton") from exc
    if response.status_code != 200:
        raise _technical(f"FranceConnect a refusé la vérification du jeton ({response.status_code})")
    try:
        body = response.json()
    except ValueError as exc:
        raise _technical("réponse de FranceConnect illisible") from exc
    claims = body.get("token_introspection", body) if isinstance(body, dict) else {}
    if not isinstance(claims, dict) or claims.get("active") is not True:
        raise denied("jeton FranceConnect (X-FranceConnect-OAuth) invalide ou expiré")
    identity = claims.get("identity", claims)  # FranceConnect v1 nested it under `identity`
    return Citizen(frozenset(str(claims.get("scope", "")).split()),
                   {name: str(identity.get(name) or "") for name in PIVOT})
