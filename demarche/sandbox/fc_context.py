"""The FranceConnect simulator object its blueprints share, and the error page they may raise.

One Simulator per app, in app.extensions["fc_sim"] (see franceconnect.create_app).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from demarche.sandbox.fc_config import Client, DataProvider, Settings
from demarche.sandbox.fc_identities import Identity, identities, pairwise_sub, rnipp_identity
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

    def identity(self, login: str) -> Identity:
        return identities()[login]

    def claim_values(self, login: str, idp: str) -> dict:
        """Every claim value FranceConnect can send about this citizen (§7.1, §7.2)."""
        return rnipp_identity(self.identity(login)) | {"amr": ["pwd"], "idp_id": idp}

    def sub(self, client_id: str, login: str) -> str:
        """The citizen's pairwise sub for this client or data provider (§7.3)."""
        return pairwise_sub(client_id, self.identity(login), self.settings.secret)


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
