"""The provider object its blueprints share (one per app) and the error page they may raise."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from demarche_sandbox.oidc_provider.config import Client, DataProvider, Settings
from demarche_sandbox.oidc_provider.federation import Federation
from demarche_sandbox.oidc_provider.keys import KeyRing
from demarche_sandbox.oidc_provider.store import Store

EXTENSION = "oidc_provider"


@dataclass
class Simulator:
    """Settings, registries, in-memory state and keys of one provider app."""

    settings: Settings
    clients: dict[str, Client]
    data_providers: dict[str, DataProvider]
    store: Store
    keys: KeyRing

    @property
    def federation(self) -> Federation:
        return self.settings.federation

    def identity(self, login: str):
        """The citizen (FranceConnect) or agent (ProConnect) with this login."""
        return self.federation.identities()[login]

    def claim_values(self, login: str, idp: str) -> dict:
        """Every claim value the federation can send about this person."""
        return self.federation.claim_values(self.identity(login), idp)

    def sub(self, client_id: str, login: str) -> str:
        """The person's pairwise sub for this client or data provider."""
        return self.federation.pairwise_sub(client_id, self.identity(login), self.settings.secret)


def current() -> Simulator:
    """The provider of the app handling the request."""
    return current_app.extensions[EXTENSION]


class ErrorPage(Exception):
    """An error shown on the provider's own HTML page, never as a redirect (a bad client or redirect_uri)."""

    def __init__(self, message: str, code: str = "", error: str = "invalid_request", status: int = 400):
        super().__init__(message)
        self.message = message  # French, read by the citizen or the integrator
        self.code = code  # FranceConnect's user-facing code, e.g. Y04EA6EF
        self.error = error
        self.status = status
