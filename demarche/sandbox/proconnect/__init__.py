"""The ProConnect simulator (agents of public administrations): create_app() builds a WSGI app whose issuer
is "<PROCONNECT_SIM_PUBLIC_URL>/api/v2".

The shared OpenID provider (oidc_provider) playing PROCONNECT: the agents of data/proconnect-agents.csv
(password 123), eIDAS acr with or without MFA per agent. Settings: docs/simulateurs.md.
"""

from __future__ import annotations

from flask import Flask

from demarche.sandbox.oidc_provider.app import build_app
from demarche.sandbox.proconnect.federation import PROCONNECT


def create_app(overrides: dict | None = None) -> Flask:
    """Build the ProConnect simulator from PROCONNECT_SIM_* variables, overridden by `overrides`
    (same keys, plus CLIENTS: a list of dicts, see oidc_provider.config)."""
    return build_app(PROCONNECT, overrides)
