"""FranceConnect v2 ("fcp-low") as the shared OpenID provider plays it: its citizens, scopes, acr eidas1,
transmission screen, and the demo service and data providers (API Particulier, the DGFiP) it registers by default.
"""

from __future__ import annotations

from demarche_sandbox import defaults
from demarche_sandbox.franceconnect import identities
from demarche_sandbox.franceconnect.scopes import (
    API_PARTICULIER_SCOPES,
    DGFIP_SCOPES,
    IDENTITY_SCOPES,
    OMITTED_WHEN_EMPTY,
    SCOPE_CLAIMS,
    transmission_items,
)
from demarche_sandbox.oidc_provider.claims import choose_acr
from demarche_sandbox.oidc_provider.config import Settings
from demarche_sandbox.oidc_provider.federation import Federation, demo_client, demo_defaults

ACR_VALUES = ("eidas1",)


def _claims(identity: identities.Identity, idp: str) -> dict:
    """Every claim value FranceConnect can send about this citizen."""
    return identities.rnipp_identity(identity) | {"amr": ["pwd"], "idp_id": idp}


def _acr(_identity: identities.Identity, acr_values: tuple[str, ...], claims: dict) -> str | None:
    return choose_acr(ACR_VALUES, "eidas1", acr_values, claims)


def default_clients(settings: Settings) -> list[dict]:
    """The demo service, registered with its three callbacks and every scope it may ask for."""
    scopes = [*IDENTITY_SCOPES, *API_PARTICULIER_SCOPES, *DGFIP_SCOPES]
    return [demo_client(settings, "Démarche (démonstration)",
                        ("/franceconnect/callback", "/franceconnect/data-callback"),
                        ("/franceconnect/logout-callback",), scopes)]


def default_data_providers(settings: Settings) -> list[dict]:
    """The API Particulier and DGFiP simulators, data providers for their own scopes: /checktoken tells each
    only the scopes that are its own."""
    return [{
        "client_id": settings.values["DATA_PROVIDER_ID"],
        "client_secret": settings.values["DATA_PROVIDER_SECRET"],
        "scopes": list(API_PARTICULIER_SCOPES),
    }, {
        "client_id": settings.values["DGFIP_DATA_PROVIDER_ID"],
        "client_secret": settings.values["DGFIP_DATA_PROVIDER_SECRET"],
        "scopes": list(DGFIP_SCOPES),
    }]


FRANCECONNECT = Federation(
    key="franceconnect", name="FranceConnect", env_prefix="FC_SIM_",
    defaults={
        **demo_defaults(defaults.PORTS["franceconnect"], "franceconnect-simulateur-secret-de-demonstration",
                        defaults.FC_CLIENT_ID, defaults.FC_CLIENT_SECRET),
        "DATA_PROVIDER_ID": defaults.DATA_PROVIDER_ID,
        "DATA_PROVIDER_SECRET": defaults.DATA_PROVIDER_SECRET,
        "DGFIP_DATA_PROVIDER_ID": defaults.DGFIP_DATA_PROVIDER_ID,
        "DGFIP_DATA_PROVIDER_SECRET": defaults.DGFIP_DATA_PROVIDER_SECRET,
    },
    acr_values=ACR_VALUES, scope_claims=SCOPE_CLAIMS, data_scopes=API_PARTICULIER_SCOPES + DGFIP_SCOPES,
    omitted_when_empty=OMITTED_WHEN_EMPTY,
    identity_providers={
        "impots-gouv": "impots.gouv.fr",
        "ameli": "ameli.fr",
        "laposte": "l’Identité Numérique La Poste",
        "msa": "MSA",
        "mobileconnect": "MobileConnect et moi",
    },
    login_hints=identities.LOGIN_HINTS, asks_email=False, consent_screen=True,
    identities=identities.identities, authenticate=identities.authenticate,
    invalid_reason=identities.invalid_reason, claim_values=_claims, pairwise_sub=identities.pairwise_sub,
    choose_acr=_acr, default_clients=default_clients, default_data_providers=default_data_providers,
    transmission_items=transmission_items,
)
