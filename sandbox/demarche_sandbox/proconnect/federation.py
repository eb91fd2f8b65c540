"""ProConnect as the shared OpenID provider plays it: its agents, scopes, 2026 acr values (with or without
MFA) and demo client (https://github.com/numerique-gouv/proconnect-documentation, doc_fs/).
"""

from __future__ import annotations

from demarche_sandbox import defaults
from demarche_sandbox.oidc_provider.claims import choose_acr
from demarche_sandbox.oidc_provider.config import Settings
from demarche_sandbox.oidc_provider.federation import Federation, demo_client, demo_defaults, no_data_providers
from demarche_sandbox.proconnect import agents

# The 2026 values; eidas2 and eidas3 (substantial, high) need a second factor by definition.
ACR_VALUES = ("eidas0", "eidas0-mfa", "eidas1", "eidas1-mfa", "eidas2", "eidas3")

SCOPE_CLAIMS: dict[str, tuple[str, ...]] = {
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


def _level(acr: str) -> tuple[int, bool]:
    """(eIDAS level, with a second factor) of an acr value."""
    level = int(acr.removesuffix("-mfa").removeprefix("eidas"))
    return level, acr.endswith("-mfa") or level >= 2


def reachable(agent_acr: str) -> tuple[str, ...]:
    """The acr values an agent whose identity provider reaches `agent_acr` can be given."""
    level, mfa = _level(agent_acr)
    return tuple(acr for acr in ACR_VALUES if _level(acr)[0] <= level and (mfa or not _level(acr)[1]))


def _acr(agent: agents.Agent, acr_values: tuple[str, ...], claims: dict) -> str | None:
    """The asked acr the agent reaches; unasked, no second factor is played (eidas1-mfa gives eidas1)."""
    return choose_acr(reachable(agent.acr), agent.acr.removesuffix("-mfa"), acr_values, claims)


def default_clients(settings: Settings) -> list[dict]:
    """The demo service's ProConnect client: the back-office's login and logout callbacks."""
    return [demo_client(settings, "Démarche – espace agents (démonstration)", ("/agents/callback",),
                        ("/agents/deconnexion/retour",), list(SCOPE_CLAIMS))]


PROCONNECT = Federation(
    key="proconnect", name="ProConnect", env_prefix="PROCONNECT_SIM_",
    defaults=demo_defaults(defaults.PORTS["proconnect"], "proconnect-simulateur-secret-de-demonstration",
                           defaults.PC_CLIENT_ID, defaults.PC_CLIENT_SECRET),
    acr_values=ACR_VALUES, scope_claims=SCOPE_CLAIMS, data_scopes=(),
    omitted_when_empty=("phone_number", "organizational_unit", "belonging_population"),
    identity_providers={"fia1": "Fournisseur d’identité de test des agents publics"},
    login_hints=tuple(agents.agents()), asks_email=True, consent_screen=False,
    identities=agents.agents, authenticate=agents.authenticate, invalid_reason=agents.invalid_reason,
    claim_values=agents.claim_values, pairwise_sub=agents.pairwise_sub,
    choose_acr=_acr, default_clients=default_clients, default_data_providers=no_data_providers,
)
