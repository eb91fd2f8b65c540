"""Settings of the OIDC simulator and its registries of clients (FS) and data providers (FD).

A client is what the FranceConnect partner portal registers (shared/docs/franceconnect.md §2.1, §6, §13.7);
data providers call /checktoken (§9). The same settings serve the ProConnect mode, read from
PROCONNECT_SIM_* variables instead of FC_SIM_* (fc_federation).
"""

from __future__ import annotations

import hmac
import os
from dataclasses import dataclass

from demarche.config import DEMO_FC_CLIENT_ID, DEMO_FC_CLIENT_SECRET, DEMO_PC_CLIENT_ID, DEMO_PC_CLIENT_SECRET
from demarche.sandbox import (
    API_PARTICULIER_SCOPES,
    DATA_PROVIDER_CLIENT_ID,
    DATA_PROVIDER_CLIENT_SECRET,
    DGFIP_DATA_PROVIDER_CLIENT_ID,
    DGFIP_DATA_PROVIDER_CLIENT_SECRET,
    DGFIP_SCOPES,
)
from demarche.sandbox.fc_federation import FRANCECONNECT, PROCONNECT, Federation
from demarche.sandbox.fc_scopes import IDENTITY_SCOPES

FAILURE_MODES = ("", "server_error", "temporarily_unavailable", "slow")
SIGNING_ALGS = ("ES256", "RS256", "HS256")
ENV_DEFAULTS = {
    "FC_SIM_PUBLIC_URL": "http://localhost:5001",
    "FC_SIM_SERVICE_URL": "http://localhost:5000",
    "FC_SIM_SECRET": "franceconnect-simulateur-secret-de-demonstration",
    "FC_SIM_FAILURE": "",
    "FC_SIM_SLOW_SECONDS": "3",
    "FC_SIM_TEST_CONTROLS": "1",
    "FC_SIM_STRICT": "0",  # "1": state and nonce need 32 characters (the docs) instead of 22 (the core)
}


class SettingsError(ValueError):
    """A simulator setting has a value the simulator cannot use."""


@dataclass(frozen=True)
class Settings:
    """The simulator's configuration, read from FC_SIM_* variables or create_app() overrides."""

    public_url: str
    service_url: str
    secret: str
    failure: str
    slow_seconds: float
    test_controls: bool
    strict: bool
    federation: Federation = FRANCECONNECT

    @property
    def issuer(self) -> str:
        return f"{self.public_url}/api/v2"


@dataclass(frozen=True)
class Client:
    """A service provider (FS) registered at FranceConnect."""

    client_id: str
    client_secret: str
    name: str
    redirect_uris: tuple[str, ...]
    post_logout_redirect_uris: tuple[str, ...]
    scopes: frozenset[str]
    id_token_signed_response_alg: str = "ES256"  # noqa: S105 - an algorithm name, not a password
    userinfo_signed_response_alg: str = ""  # empty: same as the id_token's

    @classmethod
    def from_dict(cls, data: dict) -> Client:
        alg = data.get("id_token_signed_response_alg", "ES256")
        userinfo_alg = data.get("userinfo_signed_response_alg") or alg
        if alg not in SIGNING_ALGS or userinfo_alg not in SIGNING_ALGS:
            raise SettingsError(f"client {data.get('client_id')}: signing alg must be one of {SIGNING_ALGS}")
        return cls(
            client_id=data["client_id"],
            client_secret=data["client_secret"],
            name=data.get("name", data["client_id"]),
            redirect_uris=tuple(data.get("redirect_uris", ())),
            post_logout_redirect_uris=tuple(data.get("post_logout_redirect_uris", ())),
            scopes=frozenset(data.get("scopes", ("openid",))),
            id_token_signed_response_alg=alg,
            userinfo_signed_response_alg=userinfo_alg,
        )


@dataclass(frozen=True)
class DataProvider:
    """A data provider (FD) allowed to introspect access tokens through /checktoken."""

    client_id: str
    client_secret: str
    scopes: frozenset[str]

    @classmethod
    def from_dict(cls, data: dict) -> DataProvider:
        return cls(data["client_id"], data["client_secret"], frozenset(data.get("scopes", ())))


def env_defaults(federation: Federation) -> dict[str, str]:
    """The variables this federation's simulator reads, with their defaults (FC_SIM_* or PROCONNECT_SIM_*)."""
    defaults = {**ENV_DEFAULTS, "FC_SIM_PUBLIC_URL": federation.default_public_url,
                "FC_SIM_SECRET": federation.default_secret}
    return {federation.env_prefix + key.removeprefix("FC_SIM_"): value for key, value in defaults.items()}


def load_settings(overrides: dict | None = None, federation: Federation = FRANCECONNECT) -> Settings:
    """<prefix>* from the environment, then overrides (same keys); SettingsError if unusable."""
    defaults = env_defaults(federation)
    values = {key: os.environ.get(key, default) for key, default in defaults.items()}
    values.update({key: value for key, value in (overrides or {}).items() if key in defaults})
    values = {key.removeprefix(federation.env_prefix): value for key, value in values.items()}
    if values["FAILURE"] not in FAILURE_MODES:
        raise SettingsError(f"{federation.env_prefix}FAILURE must be one of {FAILURE_MODES}")
    return Settings(
        public_url=str(values["PUBLIC_URL"]).rstrip("/"),
        service_url=str(values["SERVICE_URL"]).rstrip("/"),
        secret=str(values["SECRET"]),
        failure=str(values["FAILURE"]),
        slow_seconds=float(values["SLOW_SECONDS"]),
        test_controls=str(values["TEST_CONTROLS"]) == "1",
        strict=str(values["STRICT"]) == "1",
        federation=federation,
    )


def default_clients(service_url: str) -> list[dict]:
    """The demo service, registered with its three callbacks and every scope it may ask for."""
    return [{
        "client_id": DEMO_FC_CLIENT_ID,
        "client_secret": DEMO_FC_CLIENT_SECRET,
        "name": "Démarche (démonstration)",
        "redirect_uris": [
            f"{service_url}/franceconnect/callback",
            f"{service_url}/franceconnect/data-callback",
        ],
        "post_logout_redirect_uris": [f"{service_url}/franceconnect/logout-callback"],
        "scopes": [*IDENTITY_SCOPES, *API_PARTICULIER_SCOPES, *DGFIP_SCOPES],
    }]


def default_agent_clients(service_url: str) -> list[dict]:
    """The demo service's ProConnect client: the back-office's login and logout callbacks."""
    return [{
        "client_id": DEMO_PC_CLIENT_ID,
        "client_secret": DEMO_PC_CLIENT_SECRET,
        "name": "Démarche – espace agents (démonstration)",
        "redirect_uris": [f"{service_url}/agents/callback"],
        "post_logout_redirect_uris": [f"{service_url}/agents/deconnexion/retour"],
        "scopes": list(PROCONNECT.scopes),
    }]


def default_data_providers() -> list[dict]:
    """The API Particulier and DGFiP simulators, data providers for their own scopes."""
    return [{
        "client_id": DATA_PROVIDER_CLIENT_ID,
        "client_secret": DATA_PROVIDER_CLIENT_SECRET,
        "scopes": list(API_PARTICULIER_SCOPES),
    }, {  # DGFiP: the API Impôt particulier simulator (demarche.sandbox.impot_particulier)
        "client_id": DGFIP_DATA_PROVIDER_CLIENT_ID,
        "client_secret": DGFIP_DATA_PROVIDER_CLIENT_SECRET,
        "scopes": list(DGFIP_SCOPES),
    }]


def registries(
    settings: Settings, overrides: dict | None
) -> tuple[dict[str, Client], dict[str, DataProvider]]:
    """Clients and data providers by client_id: CLIENTS / DATA_PROVIDERS overrides, or the defaults."""
    overrides = overrides or {}
    proconnect = settings.federation is PROCONNECT
    defaults = default_agent_clients if proconnect else default_clients
    client_dicts = overrides["CLIENTS"] if "CLIENTS" in overrides else defaults(settings.service_url)
    provider_dicts = overrides.get("DATA_PROVIDERS", [] if proconnect else default_data_providers())
    clients = [Client.from_dict(data) for data in client_dicts]
    providers = [DataProvider.from_dict(data) for data in provider_dicts]
    return {c.client_id: c for c in clients}, {p.client_id: p for p in providers}


def same_secret(expected: str, given: str | None) -> bool:
    """Constant-time comparison of a client secret."""
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())
