"""Fixtures for the FranceConnect simulator tests: a simulator per test on a loopback port, and a
citizen's browser (httpx, cookies kept, redirects not followed) that drives its screens."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from demarche.devserver import RunningServer, serve
from demarche_sandbox import franceconnect

IDENTITY = ["openid", "identite_pivot", "profile", "birth", "given_name", "family_name", "birthdate",
            "gender", "birthplace", "birthcountry", "email", "preferred_username", "idp_birthdate", "amr",
            "idp_id"]
CLIENT_A = {
    "client_id": "a" * 64,
    "client_secret": "client-a-secret-for-the-tests-only",
    "name": "Service A",
    "redirect_uris": ["https://service-a.example/callback", "https://service-a.example/data-callback"],
    "post_logout_redirect_uris": ["https://service-a.example/logout-callback"],
    "scopes": [*IDENTITY, "cnaf_quotient_familial", "cnaf_enfants", "cnaf_adresse"],
}
CLIENT_B = {
    "client_id": "b" * 64,
    "client_secret": "client-b-secret-for-the-tests-only",
    "name": "Service B",
    "redirect_uris": ["https://service-b.example/callback"],
    "post_logout_redirect_uris": ["https://service-b.example/logout-callback"],
    "scopes": ["openid", "identite_pivot", "email"],
    "id_token_signed_response_alg": "RS256",
}
DATA_PROVIDER = {"client_id": "fd-test", "client_secret": "fd-test-secret",
                 "scopes": ["cnaf_quotient_familial", "cnaf_enfants"]}
SLOW_SECONDS = 0.15


class Browser:
    """A citizen's browser on the simulator, plus the service's back-channel calls."""

    def __init__(self, server: RunningServer) -> None:
        self.server = server
        self.issuer = f"{server.url}/api/v2"
        self.http = httpx.Client(base_url=server.url, follow_redirects=False, trust_env=False, timeout=10)
        self.interaction = ""
        self.others: list[Browser] = []

    def another(self) -> Browser:
        """A second browser (no cookies) on the same simulator."""
        self.others.append(Browser(self.server))
        return self.others[-1]

    def close(self) -> None:
        for other in self.others:
            other.close()
        self.http.close()

    def authorize(self, client: dict = CLIENT_A, **params: str | None) -> httpx.Response:
        """GET /authorize with valid parameters, overridden by params (None removes one)."""
        query = {
            "response_type": "code", "client_id": client["client_id"],
            "redirect_uri": client["redirect_uris"][0],
            "scope": "openid identite_pivot email", "acr_values": "eidas1", "prompt": "login consent",
            "state": secrets.token_urlsafe(32), "nonce": secrets.token_urlsafe(32), **params,
        }
        return self.http.get("/api/v2/authorize", params={k: v for k, v in query.items() if v is not None})

    def start(self, client: dict = CLIENT_A, **params: str | None) -> httpx.Response:
        """Authorize, then open the interaction screen it leads to."""
        response = self.authorize(client, **params)
        assert response.status_code == 303, response.text
        self.interaction = response.headers["location"]
        return self.http.get(self.interaction)

    def submit(self, step: str, **data: str) -> httpx.Response:
        """Post a form of the current screen (idp, login, consent, abort) with its CSRF token."""
        page = self.http.get(self.interaction)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert csrf, page.text
        return self.http.post(f"{self.interaction}/{step}", data={"csrf_token": csrf.group(1), **data})

    def login(self, login: str = "test", client: dict = CLIENT_A, **params: str | None) -> dict[str, str]:
        """The whole journey (provider, password 123, Continuer): the callback's parameters."""
        self.start(client, **params)
        self.submit("idp", idp="impots-gouv")
        response = self.submit("login", login=login, password="123")
        if response.headers.get("location", "").startswith("/api/v2/interaction/"):
            response = self.submit("consent")
        return callback(response)

    def token(self, code: str, client: dict = CLIENT_A, **form: str) -> httpx.Response:
        """POST /token with client_secret_post."""
        data = {"grant_type": "authorization_code", "code": code, "redirect_uri": client["redirect_uris"][0],
                "client_id": client["client_id"], "client_secret": client["client_secret"], **form}
        return self.http.post("/api/v2/token", data=data)

    def tokens(self, login: str = "test", client: dict = CLIENT_A, **params: str | None) -> dict:
        """Log in and exchange the code: the token response's JSON."""
        response = self.token(self.login(login, client, **params)["code"], client)
        assert response.status_code == 200, response.text
        return response.json()

    def userinfo(self, access_token: str) -> httpx.Response:
        return self.http.get("/api/v2/userinfo", headers={"Authorization": f"Bearer {access_token}"})

    def control(self, path: str, body: dict | None = None) -> httpx.Response:
        response = self.http.post(f"/_sim/{path}", json=body or {})
        assert response.status_code == 200, response.text
        return response

    def verify(self, token: str, algorithms: tuple[str, ...] = ("ES256",)) -> tuple[dict, dict]:
        """(header, claims) of a JWS checked against the simulator's JWKS."""
        keys = KeySet.import_key_set(self.http.get("/api/v2/jwks").json())
        decoded = jwt.decode(token, keys, algorithms=list(algorithms))
        return dict(decoded.header), dict(decoded.claims)


def callback(response: httpx.Response) -> dict[str, str]:
    """The query parameters of a 303 back to the client."""
    assert response.status_code == 303, response.text
    return dict(parse_qsl(urlsplit(response.headers["location"]).query))


@pytest.fixture
def start_fc() -> Iterator[Callable[..., Browser]]:
    """Start a simulator with the test registries and extra overrides; returns a fresh Browser on it."""
    servers: list[RunningServer] = []
    browsers: list[Browser] = []

    def start(**overrides: object) -> Browser:
        settings = {"CLIENTS": [CLIENT_A, CLIENT_B], "DATA_PROVIDERS": [DATA_PROVIDER],
                    "FC_SIM_SLOW_SECONDS": str(SLOW_SECONDS), **overrides}
        server = serve(lambda url: franceconnect.create_app({"FC_SIM_PUBLIC_URL": url, **settings}))
        servers.append(server)
        browsers.append(Browser(server))
        return browsers[-1]

    yield start
    for browser in browsers:
        browser.close()
    for server in servers:
        server.stop()


@pytest.fixture
def browser(start_fc: Callable[..., Browser]) -> Browser:
    """A simulator with the test registries, and a browser on it."""
    return start_fc()
