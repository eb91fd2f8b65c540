"""The OIDC simulator object its blueprints share, and the error page they may raise.

One Simulator per app, in app.extensions["fc_sim"] (see franceconnect.build_app); its settings say which
federation it plays (fc_federation: FranceConnect or ProConnect).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from demarche.sandbox.fc_config import Client, DataProvider, Settings
from demarche.sandbox.fc_federation import Federation
from demarche.sandbox.fc_keys import KeyRing
from demarche.sandbox.fc_store import Store


@dataclass
class Simulator:
    """Settings, registries, in-memory state and keys of one simulator app."""

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
        """Every claim value the federation can send about this person (FranceConnect: §7.1, §7.2)."""
        return self.federation.claim_values(self.identity(login), idp)

    def sub(self, client_id: str, login: str) -> str:
        """The person's pairwise sub for this client or data provider (FranceConnect: §7.3)."""
        return self.federation.pairwise_sub(client_id, self.identity(login), self.settings.secret)


def current() -> Simulator:
    """The simulator of the app handling the request."""
    return current_app.extensions["fc_sim"]


class ErrorPage(Exception):
    """An error FranceConnect shows on its own HTML page, never as a redirect (§2.1)."""

    def __init__(self, message: str, code: str = "", error: str = "invalid_request", status: int = 400):
        super().__init__(message)
        self.message = message  # French, read by the citizen or the integrator
        self.code = code  # FranceConnect's user-facing code, e.g. Y04EA6EF
        self.error = error
        self.status = status
