"""The ProConnect simulator's entry point: create_app(), issuer "<PROCONNECT_SIM_PUBLIC_URL>/api/v2"."""

from __future__ import annotations

from flask import Flask

from demarche_sandbox.oidc_provider.app import build_app
from demarche_sandbox.proconnect.federation import PROCONNECT


def create_app(overrides: dict | None = None) -> Flask:
    """Build the ProConnect simulator from PROCONNECT_SIM_* variables, overridden by `overrides`
    (same keys, plus CLIENTS: a list of dicts, see oidc_provider.config)."""
    return build_app(PROCONNECT, overrides)
