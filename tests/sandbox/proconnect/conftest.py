"""Fixtures of the ProConnect simulator tests: a simulator knowing two test services, an agent's browser
on it, and the login helper (e-mail first, then the password at the identity provider)."""

from __future__ import annotations

import pytest

from demarche.devserver import serve
from demarche_sandbox import proconnect
from tests.sandbox.conftest import Browser, callback

SCOPES = "openid email given_name usual_name siret uid idp_id phone organizational_unit belonging_population"
SERVICE = {
    "client_id": "c" * 64, "client_secret": "client-c-secret-for-the-tests-only", "name": "Service agents",
    "redirect_uris": ["https://agents.example/callback"],
    "post_logout_redirect_uris": ["https://agents.example/logout-callback"],
    "scopes": [*SCOPES.split(), "siren"],
}
OTHER = {**SERVICE, "client_id": "d" * 64, "redirect_uris": ["https://other.example/callback"]}
MARIE = "marie.lambert@demarche-sur-loire.example"


@pytest.fixture
def pc():
    server = serve(lambda url: proconnect.create_app({"PROCONNECT_SIM_PUBLIC_URL": url, "CLIENTS": [SERVICE, OTHER]}))
    browser = Browser(server)
    yield browser
    browser.close()
    server.stop()


def login(pc: Browser, email: str = MARIE, client: dict = SERVICE, scope: str = SCOPES,
          **params: str | None) -> dict[str, str]:
    """E-mail on ProConnect's first screen, password at the identity provider: back at the client at once."""
    pc.start(client, scope=scope, **{"acr_values": "eidas1", **params})
    pc.submit("idp", email=email)
    return callback(follow(pc, pc.submit("login", login=email, password="123")))


def follow(pc: Browser, response):
    """The login's 303 to the interaction, which sends the code back at once (no transmission screen)."""
    assert response.headers["location"].startswith("/api/v2/interaction/")
    return pc.http.get(response.headers["location"])
