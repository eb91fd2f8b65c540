"""Settings of the API Impôt particulier simulator, read from IP_SIM_* variables or create_app() overrides."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date

from demarche_sandbox import defaults

# The route → APIM scope table of the official OpenAPI (docs/specs/api-impot-particulier-openapi.json,
# securitySchemes.Authorization.flows.clientCredentials.scopes).
RESOURCE_SCOPES = ("RessourceIR", "RessourceIFI", "RessourceTHPrincipale", "RessourceLEP", "RessourceIRFacture",
                   "RessourceIRDerniere", "RessourceIRDerniere2", "RessourceIRMultiple")
FAILURES = ("429", "500", "503", "504", "timeout", "hang")

# The demo service's APIM account, as the DGFiP creates it after DataPass (client credentials and its
# ID_Teleservice, one per use case): public demo values, to be set in the service's configuration too.
DEMO_CLIENT_ID = defaults.IMPOT_PARTICULIER_CLIENT_ID
DEMO_CLIENT_SECRET = defaults.IMPOT_PARTICULIER_CLIENT_SECRET
DEMO_ID_TELESERVICE = defaults.IMPOT_PARTICULIER_ID_TELESERVICE
DEMO_RESOURCES = "RessourceIR RessourceIRDerniere RessourceIRDerniere2"

DEFAULTS = {
    "IP_SIM_FC_ISSUER": f"http://localhost:{defaults.PORTS['franceconnect']}/api/v2",
    "IP_SIM_FC_CLIENT_ID": defaults.DGFIP_DATA_PROVIDER_ID,
    "IP_SIM_FC_CLIENT_SECRET": defaults.DGFIP_DATA_PROVIDER_SECRET,
    "IP_SIM_FC_TIMEOUT": "3",
    "IP_SIM_CLIENT_ID": DEMO_CLIENT_ID,
    "IP_SIM_CLIENT_SECRET": DEMO_CLIENT_SECRET,
    "IP_SIM_ID_TELESERVICE": DEMO_ID_TELESERVICE,
    "IP_SIM_CLIENT_SCOPES": DEMO_RESOURCES,
    "IP_SIM_TOKEN_TTL": "3600",
    "IP_SIM_TODAY": "",
    "IP_SIM_LATENCY_MS": "0",
    "IP_SIM_FAILURE": "",
    "IP_SIM_SLOW_SECONDS": "8",
    "IP_SIM_HANG_SECONDS": "120",
    "IP_SIM_TEST_CONTROLS": "1",
    "IP_SIM_FOYERS": "",
}


class SettingsError(ValueError):
    """A setting has a value the simulator cannot use."""


@dataclass(frozen=True)
class ApimClient:
    """A partner's account on the DGFiP's API Management gateway."""

    client_id: str
    client_secret: str
    id_teleservice: str
    scopes: frozenset[str]


@dataclass(frozen=True)
class Settings:
    fc_issuer: str
    fc_client_id: str
    fc_client_secret: str
    fc_timeout: float
    clients: dict[str, ApimClient]
    token_ttl: int
    today: date | None  # None: the real date
    latency_ms: int
    failure: str
    slow_seconds: float
    hang_seconds: float
    test_controls: bool
    foyers_file: str


def _client(values: dict) -> ApimClient:
    scopes = frozenset(str(values["IP_SIM_CLIENT_SCOPES"]).split())
    if not scopes <= set(RESOURCE_SCOPES):
        raise SettingsError(f"IP_SIM_CLIENT_SCOPES : scopes inconnus {sorted(scopes - set(RESOURCE_SCOPES))}")
    return ApimClient(str(values["IP_SIM_CLIENT_ID"]), str(values["IP_SIM_CLIENT_SECRET"]),
                      str(values["IP_SIM_ID_TELESERVICE"]), scopes)


def parse_day(value: str) -> date | None:
    """"" → None (the real date), "YYYY-MM-DD" → that day."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError as exc:
        raise SettingsError(f"IP_SIM_TODAY doit être une date AAAA-MM-JJ, pas « {value} »") from exc


def load_settings(overrides: dict | None = None) -> Settings:
    """Environment then overrides (same keys); SettingsError when a value is unusable."""
    overrides = dict(overrides or {})
    values = {key: overrides.get(key, os.environ.get(key, default)) for key, default in DEFAULTS.items()}
    failure = str(values["IP_SIM_FAILURE"] or "").strip().lower()
    if failure not in ("", *FAILURES):
        raise SettingsError(f"IP_SIM_FAILURE : valeurs possibles {', '.join(FAILURES)} (ou vide)")
    return Settings(
        fc_issuer=str(values["IP_SIM_FC_ISSUER"]).rstrip("/"),
        fc_client_id=str(values["IP_SIM_FC_CLIENT_ID"]),
        fc_client_secret=str(values["IP_SIM_FC_CLIENT_SECRET"]),
        fc_timeout=float(values["IP_SIM_FC_TIMEOUT"]),
        clients={client.client_id: client for client in [_client(values)]},
        token_ttl=int(values["IP_SIM_TOKEN_TTL"]),
        today=parse_day(str(values["IP_SIM_TODAY"] or "")),
        latency_ms=int(values["IP_SIM_LATENCY_MS"]),
        failure=failure,
        slow_seconds=float(values["IP_SIM_SLOW_SECONDS"]),
        hang_seconds=float(values["IP_SIM_HANG_SECONDS"]),
        test_controls=str(values["IP_SIM_TEST_CONTROLS"]).lower() in ("1", "true"),
        foyers_file=str(values["IP_SIM_FOYERS"] or ""),
    )
