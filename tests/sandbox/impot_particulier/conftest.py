"""Fixtures for the API Impôt particulier simulator: the simulator served on a loopback port with a client
that validates every answer against the vendored OpenAPI, and citizens' FranceConnect access tokens from a
real FranceConnect simulator."""

from __future__ import annotations

import functools
import json
import re
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import jsonschema
import pytest

from demarche.devserver import RunningServer, serve
from demarche_sandbox import impot_particulier
from demarche_sandbox.franceconnect.federation import FRANCECONNECT
from demarche_sandbox.impot_particulier.settings import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_ID_TELESERVICE
from demarche_sandbox.oidc_provider.config import load_settings
from tests.sandbox.conftest import Browser
from tests.sandbox.openapi_schema import to_json_schema

ROOT = Path(__file__).resolve().parents[3]
SPEC = ROOT / "docs" / "specs" / "api-impot-particulier-openapi.json"
BASE = "/impotparticulier/1.0"
FC_SERVICE_URL = "http://localhost"  # tests/conftest.py's fc_sim registers the demo service at this URL
IR_SCOPES = ("dgfip_rfr", "dgfip_nbpart", "dgfip_sitfam", "dgfip_pac_nbPac", "dgfip_aft")
YEARS = ("dgfip_annee_n_moins_1", "dgfip_annee_n_moins_2")
AFTER_TAXATION, BEFORE_TAXATION = "2026-09-15", "2026-03-01"  # incomes 2025 taxed on 22 July 2026
# Dropped from the OpenAPI's schemas; its objects are closed: it lists every field the DGFiP sends.
NOT_CHECKED = frozenset({"nullable", "example", "description", "format", "xml"})

# The OpenAPI gives no error body: the shape the simulator documents, checked strictly.
ERROR_SCHEMA = {
    "type": "object", "required": ["erreur"], "additionalProperties": False,
    "properties": {"erreur": {
        "type": "object", "required": ["message"], "additionalProperties": False,
        "properties": {"codeapp": {"type": "integer"}, "message": {"type": "string", "minLength": 1}},
    }},
}


def demo_client() -> dict:
    """The demo service as the FranceConnect simulator registers it by default (at FC_SERVICE_URL)."""
    return FRANCECONNECT.default_clients(load_settings({"FC_SIM_SERVICE_URL": FC_SERVICE_URL}, FRANCECONNECT))[0]


@functools.cache
def openapi() -> dict:
    return json.loads(SPEC.read_text(encoding="utf-8"))


def documented_codeapps(status: int) -> set[int]:
    """Every codeapp the OpenAPI names for this status, on any route."""
    codes: set[int] = set()
    for item in openapi()["paths"].values():
        response = item["get"]["responses"].get(str(status), {})
        codes.update(int(code) for code in re.findall(r"codeapp (\d{4})", response.get("description", "")))
    return codes


def validate(path: str, response: httpx.Response) -> None:
    """A 200 is the route's documented media type and schema; an error has a status the OpenAPI documents
    (on this route, or with a codeapp it names on another) and the {"erreur": ...} body."""
    template = re.sub(r"/annrev/[^/]+$", "/annrev/{annrev}", path.removeprefix(BASE))
    operation = openapi()["paths"][template]["get"]
    if response.status_code == 200:
        declared = operation["responses"].get("200") or operation["responses"]["default"]
        media_type, content = next(iter(declared["content"].items()))
        assert response.headers["content-type"] == media_type
        schema = to_json_schema(content["schema"], openapi(), NOT_CHECKED, close_objects=True)
        jsonschema.Draft7Validator(schema).validate(response.json())
        return
    body = response.json()
    jsonschema.Draft7Validator(ERROR_SCHEMA).validate(body)
    codeapp = body["erreur"].get("codeapp")
    if codeapp is not None:
        assert codeapp in documented_codeapps(response.status_code), body
    else:
        documented = {int(s) for s in operation["responses"] if s.isdigit()} | {500}  # 500: "Erreur technique"
        assert response.status_code in documented | {429, 503, 504}, response.status_code  # gateway faults


class IpSim:
    """A running simulator and an HTTP client on it; every resource answer is validated."""

    def __init__(self, server: RunningServer):
        self.server, self.url = server, server.url
        self.http = httpx.Client(base_url=server.url, timeout=10, trust_env=False)

    def token(self, scope: str | None = "RessourceIR RessourceIRDerniere RessourceIRDerniere2") -> str:
        data = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
        response = self.http.post("/token", data=data, auth=(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET))
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    def get(self, path: str, fc_token: str | None, headers: dict | None = None) -> httpx.Response:
        """GET BASE+path with valid headers (a fresh gateway token), overridden by `headers` (None removes one)."""
        headers = headers or {}
        bearer = f"Bearer {self.token()}" if "Authorization" not in headers else None
        sent = {
            "Authorization": bearer, "X-Correlation-ID": str(uuid.uuid4()),
            "ID_Teleservice": DEMO_ID_TELESERVICE, "X-FranceConnect-OAuth": fc_token, **headers,
        }
        response = self.http.get(BASE + path, headers={k: v for k, v in sent.items() if v is not None})
        validate(BASE + path, response)
        return response

    def control(self, method: str, path: str, json: dict | None = None) -> httpx.Response:
        return self.http.request(method, f"/_sim/{path}", json=json)

    def close(self) -> None:
        self.http.close()
        threading.Thread(target=self.server.stop, daemon=True).start()


@pytest.fixture
def ip_sim(fc_sim) -> Iterator:
    """A factory: ip_sim({"IP_SIM_…": …}) serves a simulator checking tokens at fc_sim; all stopped after."""
    started: list[IpSim] = []

    def start(overrides: dict | None = None) -> IpSim:
        config = {"IP_SIM_FC_ISSUER": f"{fc_sim.url}/api/v2", "IP_SIM_TODAY": AFTER_TAXATION,
                  "IP_SIM_SLOW_SECONDS": "0.2", "IP_SIM_HANG_SECONDS": "3", **(overrides or {})}
        server = serve(lambda _url: impot_particulier.create_app(config),
                       request_handler=impot_particulier.RequestHandler)
        started.append(IpSim(server))
        return started[-1]

    yield start
    for sim in started:
        sim.close()


@pytest.fixture
def fc_token(fc_sim) -> Iterator:
    """fc_token(login, scopes): a citizen logs in on the FranceConnect simulator and consents to `scopes`;
    the access token the service would send in X-FranceConnect-OAuth."""
    browsers: list[Browser] = []
    client = demo_client()

    def login(login: str = "test", scopes: tuple[str, ...] = IR_SCOPES + YEARS) -> str:
        browsers.append(Browser(fc_sim))
        scope = " ".join(("openid", "identite_pivot", *scopes))
        return browsers[-1].tokens(login, client, scope=scope)["access_token"]

    yield login
    for browser in browsers:
        browser.close()
