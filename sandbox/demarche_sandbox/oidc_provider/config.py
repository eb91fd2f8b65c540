"""Settings of the OpenID provider (<prefix><NAME>, then create_app() overrides) and its registries of
clients and /checktoken data providers.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass

from demarche_sandbox.oidc_provider.federation import Federation

FAILURE_MODES = ("", "server_error", "temporarily_unavailable", "slow")
SIGNING_ALGS = ("ES256", "RS256", "HS256")
# Defaults shared by both federations (names without the prefix); a federation's own `defaults` win.
COMMON_DEFAULTS = {
    "PUBLIC_URL": "http://localhost:5001",
    "SERVICE_URL": "http://localhost:5000",
    "SECRET": "oidc-simulateur-secret-de-demonstration",
    "CLIENT_ID": "",
    "CLIENT_SECRET": "",
    "FAILURE": "",
    "SLOW_SECONDS": "3",
    "TEST_CONTROLS": "1",
    "STRICT": "0",  # "1": state and nonce need 32 characters (the docs) instead of 22 (the core)
}


class SettingsError(ValueError):
    """A simulator setting has a value the simulator cannot use."""


@dataclass(frozen=True)
class Settings:
    """The provider's configuration, read from <prefix>* variables or create_app() overrides."""

    public_url: str
    service_url: str
    secret: str
    failure: str
    slow_seconds: float
    test_controls: bool
    strict: bool
    federation: Federation
    values: Mapping[str, str]  # every setting as given, without the prefix (CLIENT_ID, DATA_PROVIDER_ID…)

    @property
    def issuer(self) -> str:
        return f"{self.public_url}/api/v2"


@dataclass(frozen=True)
class Client:
    """A service provider (FS) registered at the federation."""

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
    """The variables this federation's provider reads, with their defaults (FC_SIM_* or PROCONNECT_SIM_*)."""
    return {federation.env_prefix + name: value for name, value in {**COMMON_DEFAULTS, **federation.defaults}.items()}


def load_settings(overrides: dict | None, federation: Federation) -> Settings:
    """<prefix>* from the environment, then overrides (same keys); SettingsError if unusable."""
    defaults = env_defaults(federation)
    values = {key: os.environ.get(key, default) for key, default in defaults.items()}
    values.update({key: value for key, value in (overrides or {}).items() if key in defaults})
    values = {key.removeprefix(federation.env_prefix): str(value) for key, value in values.items()}
    if values["FAILURE"] not in FAILURE_MODES:
        raise SettingsError(f"{federation.env_prefix}FAILURE must be one of {FAILURE_MODES}")
    return Settings(
        public_url=values["PUBLIC_URL"].rstrip("/"),
        service_url=values["SERVICE_URL"].rstrip("/"),
        secret=values["SECRET"],
        failure=values["FAILURE"],
        slow_seconds=float(values["SLOW_SECONDS"]),
        test_controls=values["TEST_CONTROLS"] == "1",
        strict=values["STRICT"] == "1",
        federation=federation,
        values=values,
    )


def registries(settings: Settings, overrides: dict | None) -> tuple[dict[str, Client], dict[str, DataProvider]]:
    """Clients and data providers by client_id: CLIENTS / DATA_PROVIDERS overrides, or the federation's."""
    overrides = overrides or {}
    federation = settings.federation
    client_dicts = overrides["CLIENTS"] if "CLIENTS" in overrides else federation.default_clients(settings)
    provider_dicts = (overrides["DATA_PROVIDERS"] if "DATA_PROVIDERS" in overrides
                      else federation.default_data_providers(settings))
    clients = [Client.from_dict(data) for data in client_dicts]
    providers = [DataProvider.from_dict(data) for data in provider_dicts]
    return {c.client_id: c for c in clients}, {p.client_id: p for p in providers}


def same_secret(expected: str, given: str | None) -> bool:
    """Constant-time comparison of a client secret."""
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())
