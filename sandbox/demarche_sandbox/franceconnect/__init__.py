"""The FranceConnect v2 simulator's entry point: create_app(), issuer "<FC_SIM_PUBLIC_URL>/api/v2"."""

from __future__ import annotations

from flask import Flask

from demarche_sandbox.franceconnect import personas
from demarche_sandbox.franceconnect.federation import FRANCECONNECT
from demarche_sandbox.oidc_provider.app import build_app


def create_app(overrides: dict | None = None) -> Flask:
    """Build the simulator from FC_SIM_* environment variables, overridden by `overrides` (same keys, plus
    CLIENTS and DATA_PROVIDERS: lists of dicts, and FC_SIM_DEMARCHES: a list of démarches or a JSON file)."""
    app = build_app(FRANCECONNECT, overrides)
    personas.register(app, overrides)  # /personas: the sandbox's test citizens, one click each
    return app
