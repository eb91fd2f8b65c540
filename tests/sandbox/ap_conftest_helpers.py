"""Helpers for the API Particulier tests: the official v3 OpenAPI as a response validator, and a
simulator served on a loopback port with an HTTP client that validates every body it receives."""

from __future__ import annotations

import copy
import functools
import threading
from pathlib import Path

import httpx
import jsonschema
import pytest
import yaml

from demarche.config import DEMO_API_PARTICULIER_TOKEN, DEMO_RECIPIENT_SIRET
from demarche.devserver import RunningServer, serve
from demarche_sandbox import api_particulier, franceconnect
from demarche_sandbox.franceconnect.federation import FRANCECONNECT, default_clients
from demarche_sandbox.oidc_provider.config import load_settings
from tests.sandbox.conftest import Browser
from tests.sandbox.openapi_schema import to_json_schema

ROOT = Path(__file__).resolve().parents[2]
SERVICE_URL = "https://demarche.example"
# The demo service as the FranceConnect simulator registers it by default.
SERVICE_CLIENT = default_clients(load_settings({"FC_SIM_SERVICE_URL": SERVICE_URL}, FRANCECONNECT))[0]
QF_SCOPES = ("cnaf_quotient_familial", "cnaf_allocataires", "cnaf_enfants", "cnaf_adresse")
SPEC = ROOT / "docs" / "specs" / "api-particulier-openapi-v3.yml"  # vendored, see docs/specs/SOURCES.md
_OPENAPI_ONLY = frozenset({"nullable", "example", "examples", "description", "title", "deprecated", "xml",
                           "externalDocs"})

# Stricter than the OpenAPI's loose `Error` schema: the shape every documented example has.
ERROR_ENVELOPE = {
    "type": "object",
    "required": ["errors"],
    "additionalProperties": False,
    "properties": {
        "errors": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["code", "title", "detail", "source", "meta"],
                "additionalProperties": False,
                "properties": {
                    "code": {"type": "string", "pattern": "^[0-9]{5}$"},
                    "title": {"type": "string", "minLength": 1},
                    "detail": {"type": "string", "minLength": 1},
                    "source": {
                        "oneOf": [
                            {"type": "null"},
                            {
                                "type": "object",
                                "required": ["parameter"],
                                "properties": {"parameter": {"type": "string"}},
                            },
                        ]
                    },
                    "meta": {"type": "object"},
                },
            },
        }
    },
}


@functools.cache
def openapi() -> dict:
    """The official v3 OpenAPI, as vendored in docs/specs/."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader reads 724 kB in 0.2 s
    return yaml.load(SPEC.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader


def response_schema(path: str, status: int) -> tuple[dict, str]:
    """The declared schema for path+status; else the /identite sibling's (france_connect routes declare
    no 502/504), else the OpenAPI's `Error` component (503). Returns (schema, where it came from)."""
    spec = openapi()
    siblings = [path, path.rsplit("/", 1)[0] + "/identite"]
    for candidate in siblings:
        response = spec["paths"].get(candidate, {}).get("get", {}).get("responses", {}).get(str(status))
        if response:
            schema = response["content"]["application/json"]["schema"]
            return to_json_schema(schema, spec, _OPENAPI_ONLY), f"{candidate} {status}"
    assert status >= 400, f"{path}: no 200 schema"
    return to_json_schema(spec["components"]["schemas"]["Error"], spec, _OPENAPI_ONLY), "components/schemas/Error"


def validate_response(path: str, status: int, body, masked: bool = False) -> str:
    """Assert that body is what the OpenAPI documents for path+status; `masked`: scope-masked data
    (keys of ungranted scopes are omitted, so `data.required` cannot hold)."""
    schema, origin = response_schema(path, status)
    if masked and status == 200:
        schema = copy.deepcopy(schema)
        schema["properties"]["data"].pop("required", None)
    checker = jsonschema.Draft7Validator.FORMAT_CHECKER
    jsonschema.Draft7Validator(schema, format_checker=checker).validate(body)
    if status >= 400:
        jsonschema.Draft7Validator(ERROR_ENVELOPE).validate(body)
    return origin


def _stop_in_background(server: RunningServer) -> None:
    """werkzeug's shutdown waits up to 0.5 s for its polling loop: don't make every test wait."""
    threading.Thread(target=server.stop, name=f"stop-{server.url}", daemon=True).start()


class ApSim:
    """A running simulator and an HTTP client on it; every /v3 body is validated against the OpenAPI."""

    def __init__(self, server: RunningServer):
        self.server = server
        self.url = server.url
        self.http = httpx.Client(base_url=server.url, timeout=10, trust_env=False)

    def get(
        self,
        path: str,
        params: dict | None = None,
        token: str | None = DEMO_API_PARTICULIER_TOKEN,
        masked: bool = False,
        headers: dict | None = None,
    ) -> httpx.Response:
        """GET path with recipient (unless params set it to None) and the bearer token (None: no header)."""
        query = {"recipient": DEMO_RECIPIENT_SIRET, **(params or {})}
        headers = {**({"Authorization": f"Bearer {token}"} if token is not None else {}), **(headers or {})}
        response = self.http.get(
            path, params={k: v for k, v in query.items() if v is not None}, headers=headers
        )
        validate_response(path, response.status_code, response.json(), masked=masked)
        return response

    def control(self, method: str, path: str, json=None) -> httpx.Response:
        return self.http.request(method, f"/_sim/{path}", json=json)

    def requests(self) -> list[dict]:
        return self.control("GET", "requests").json()

    def close(self) -> None:
        self.http.close()
        _stop_in_background(self.server)


class FranceConnect:
    """The FranceConnect simulator, where citizens log in to the demo service to get access tokens."""

    def __init__(self):
        config = {"FC_SIM_SERVICE_URL": SERVICE_URL}
        self.server = serve(lambda url: franceconnect.create_app({"FC_SIM_PUBLIC_URL": url, **config}))
        self.issuer = f"{self.server.url}/api/v2"
        self.browsers: list[Browser] = []

    def access_token(self, login: str = "test", scopes: tuple[str, ...] = QF_SCOPES) -> str:
        """Log `login` in (password 123, consent given), exchange the code: the access token."""
        self.browsers.append(Browser(self.server))
        scope = " ".join(("openid", "identite_pivot", *scopes))
        return self.browsers[-1].tokens(login, SERVICE_CLIENT, scope=scope)["access_token"]

    def advance_clock(self, seconds: float) -> None:
        response = httpx.post(f"{self.server.url}/_sim/clock", json={"advance": seconds}, trust_env=False)
        assert response.status_code == 200, response.text

    def close(self) -> None:
        for browser in self.browsers:
            browser.close()
        _stop_in_background(self.server)


def start_simulator(overrides: dict | None = None) -> ApSim:
    """Serve a fresh simulator (FranceConnect issuer unreachable unless overridden)."""
    config = {"AP_SIM_FC_ISSUER": "http://127.0.0.1:9/api/v2", **(overrides or {})}
    return ApSim(serve(lambda url: api_particulier.create_app(config)))


ANGELA = {
    "nomNaissance": "DUBOIS",
    "prenoms[]": ["Angela", "Claire", "Louise"],
    "anneeDateNaissance": 1962,
    "moisDateNaissance": 8,
    "jourDateNaissance": 24,
    "sexeEtatCivil": "F",
    "codeCogInseePaysNaissance": "99100",
    "codeCogInseeCommuneNaissance": "75107",
}
PAUL = {
    "nomNaissance": "CUILLERE",
    "prenoms[]": ["Paul"],
    "anneeDateNaissance": 2007,
    "moisDateNaissance": 1,
    "jourDateNaissance": 23,
    "sexeEtatCivil": "M",
    "codeCogInseeCommuneNaissance": "42218",
}


@pytest.fixture
def sim():
    """A simulator factory: sim() or sim({"AP_SIM_…": …}); all stopped after the test."""
    started = []

    def start(overrides: dict | None = None):
        started.append(start_simulator(overrides))
        return started[-1]

    yield start
    for simulator in started:
        simulator.close()
