"""What the shared OpenID provider needs to know to play one federation: who logs in, which scopes give
which claims, which acr values exist, which screens are shown, whom it registers by default.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from demarche_sandbox import defaults


@dataclass(frozen=True)
class Federation:
    """One federation: its people, its claims, its rules and its default settings."""

    key: str  # its templates folder: franceconnect/ or proconnect/
    name: str  # shown on its screens
    env_prefix: str  # FC_SIM_ or PROCONNECT_SIM_
    defaults: Mapping[str, str]  # its own defaults of the settings (names without the prefix), see config
    acr_values: tuple[str, ...]  # acr_values_supported; the first is the default
    scope_claims: Mapping[str, tuple[str, ...]]
    data_scopes: tuple[str, ...]  # API Particulier's, FranceConnect only
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
    # (identity, acr_values asked, `claims` parameter) → the acr to return, or None: authentication failed.
    choose_acr: Callable[[Any, tuple[str, ...], dict], str | None]
    default_clients: Callable[[Any], list[dict]]  # Settings → the clients registered without CLIENTS
    default_data_providers: Callable[[Any], list[dict]]  # Settings → the /checktoken callers
    # (scopes, claim values) → the transmission screen's identity_items and data_items (consent_screen only).
    transmission_items: Callable[[tuple[str, ...], dict], dict] = lambda _scopes, _values: {}

    @property
    def scopes(self) -> tuple[str, ...]:
        return (*self.scope_claims, *self.data_scopes)

    @property
    def identity_claims(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(claim for claims in self.scope_claims.values() for claim in claims))


def demo_defaults(port: int, secret: str, client_id: str, client_secret: str) -> dict[str, str]:
    """A federation's defaults for the demo: its loopback URL, the demo service's and its client there."""
    return {"PUBLIC_URL": f"http://localhost:{port}", "SERVICE_URL": defaults.SERVICE_URL, "SECRET": secret,
            "CLIENT_ID": client_id, "CLIENT_SECRET": client_secret}


def demo_client(settings: Any, name: str, callbacks: tuple[str, ...], logout_callbacks: tuple[str, ...],
                scopes: list[str]) -> dict:
    """The demo service as a federation registers it by default: CLIENT_ID and CLIENT_SECRET of the
    settings, its callbacks' paths under SERVICE_URL."""
    return {
        "client_id": settings.values["CLIENT_ID"],
        "client_secret": settings.values["CLIENT_SECRET"],
        "name": name,
        "redirect_uris": [f"{settings.service_url}{path}" for path in callbacks],
        "post_logout_redirect_uris": [f"{settings.service_url}{path}" for path in logout_callbacks],
        "scopes": scopes,
    }


def no_data_providers(_settings: Any) -> list[dict]:
    """For a federation without /checktoken callers."""
    return []
