"""The two federations the OIDC simulator can play: FranceConnect (citizens) and ProConnect (agents).

Both are the same OpenID Connect core (shared/docs/franceconnect.md for FranceConnect; for ProConnect,
numerique-gouv/proconnect-documentation doc_fs/implementation_technique.md: /api/v2/authorize, /token,
/userinfo as a signed JWT, /session/end). What differs is data: who can log in, which scopes give which
claims, which acr values are accepted, and which screens are shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from demarche.sandbox import API_PARTICULIER_SCOPES, DGFIP_SCOPES, fc_identities, pc_agents
from demarche.sandbox.fc_scopes import OMITTED_WHEN_EMPTY, SCOPE_CLAIMS


@dataclass(frozen=True)
class Federation:
    """What the simulator needs to know to play one federation."""

    key: str
    name: str  # shown on its screens
    env_prefix: str  # FC_SIM_ or PROCONNECT_SIM_
    default_public_url: str
    default_secret: str
    acr_values: tuple[str, ...]
    scope_claims: Mapping[str, tuple[str, ...]]
    data_scopes: tuple[str, ...]  # API Particulier's and the DGFiP's, FranceConnect only
    omitted_when_empty: tuple[str, ...]
    identity_providers: Mapping[str, str]
    login_hints: tuple[str, ...]
    asks_email: bool  # ProConnect's first screen asks for the professional e-mail, then routes to its provider
    consent_screen: bool  # FranceConnect shows the transmission screen; ProConnect goes straight back
    identities: Callable[[], Mapping[str, Any]]
    authenticate: Callable[[str, str], Any]
    invalid_reason: Callable[[Any], str | None]
    claim_values: Callable[[Any, str], dict]
    pairwise_sub: Callable[[str, Any, str], str]

    @property
    def scopes(self) -> tuple[str, ...]:
        return (*self.scope_claims, *self.data_scopes)

    @property
    def identity_claims(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(claim for claims in self.scope_claims.values() for claim in claims))


def _fc_claims(identity: fc_identities.Identity, idp: str) -> dict:
    """Every claim value FranceConnect can send about this citizen (§7.1, §7.2)."""
    return fc_identities.rnipp_identity(identity) | {"amr": ["pwd"], "idp_id": idp}


FRANCECONNECT = Federation(
    key="franceconnect", name="FranceConnect", env_prefix="FC_SIM_",
    default_public_url="http://localhost:5001",
    default_secret="franceconnect-simulateur-secret-de-demonstration",  # noqa: S106 - public demo value
    acr_values=("eidas1",), scope_claims=SCOPE_CLAIMS, data_scopes=API_PARTICULIER_SCOPES + DGFIP_SCOPES,
    omitted_when_empty=OMITTED_WHEN_EMPTY,
    identity_providers={
        "impots-gouv": "impots.gouv.fr",
        "ameli": "ameli.fr",
        "laposte": "l’Identité Numérique La Poste",
        "msa": "MSA",
        "mobileconnect": "MobileConnect et moi",
    },
    login_hints=fc_identities.LOGIN_HINTS, asks_email=False, consent_screen=True,
    identities=fc_identities.identities, authenticate=fc_identities.authenticate,
    invalid_reason=fc_identities.invalid_reason, claim_values=_fc_claims, pairwise_sub=fc_identities.pairwise_sub,
)

# ProConnect's scope → claims table (doc_fs/scope-claims.md; optional data from doc_fs/donnees_fournies.md).
PROCONNECT_SCOPE_CLAIMS: dict[str, tuple[str, ...]] = {
    "openid": ("sub",),
    "given_name": ("given_name",),
    "usual_name": ("usual_name",),
    "email": ("email",),
    "uid": ("uid",),
    "siret": ("siret",),
    "siren": ("siren",),
    "idp_id": ("idp_id",),
    "phone": ("phone_number",),
    "organizational_unit": ("organizational_unit",),
    "belonging_population": ("belonging_population",),
}

PROCONNECT = Federation(
    key="proconnect", name="ProConnect", env_prefix="PROCONNECT_SIM_",
    default_public_url="http://localhost:5003",
    default_secret="proconnect-simulateur-secret-de-demonstration",  # noqa: S106 - public demo value
    # doc_fs/projet_fca/projet_fca_niveau_eidas.md: eidas1 (faible), eidas2, eidas3; services ask eidas1.
    acr_values=("eidas1", "eidas2", "eidas3"), scope_claims=PROCONNECT_SCOPE_CLAIMS, data_scopes=(),
    omitted_when_empty=("phone_number", "organizational_unit", "belonging_population"),
    identity_providers={"fia1": "Fournisseur d’identité de test des agents publics"},
    login_hints=tuple(pc_agents.agents()), asks_email=True, consent_screen=False,
    identities=pc_agents.agents, authenticate=pc_agents.authenticate, invalid_reason=pc_agents.invalid_reason,
    claim_values=pc_agents.claim_values, pairwise_sub=pc_agents.pairwise_sub,
)
