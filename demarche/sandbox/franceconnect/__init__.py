"""The FranceConnect v2 simulator: create_app() builds a WSGI app whose issuer is "<FC_SIM_PUBLIC_URL>/api/v2".

The shared OpenID provider (oidc_provider) playing FRANCECONNECT, plus the /personas page. Every setting
(FC_SIM_*, CLIENTS, DATA_PROVIDERS, FC_SIM_DEMARCHES) is described in docs/simulateurs.md.
"""

from __future__ import annotations

from flask import Flask

from demarche.sandbox.franceconnect import personas
from demarche.sandbox.franceconnect.federation import FRANCECONNECT
from demarche.sandbox.oidc_provider.app import build_app


def create_app(overrides: dict | None = None) -> Flask:
    """Build the simulator from FC_SIM_* environment variables, overridden by `overrides` (same keys, plus
    CLIENTS and DATA_PROVIDERS: lists of dicts, and FC_SIM_DEMARCHES: a list of démarches or a JSON file)."""
    app = build_app(FRANCECONNECT, overrides)
    personas.register(app, overrides)  # /personas: the sandbox's test citizens, one click each
    return app
