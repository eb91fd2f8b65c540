"""Démarche: the "Dites-le-nous une fois" pattern (FranceConnect, consent, API Particulier, DGFiP).

`create_app` is imported lazily so that importing one module of the package (gunicorn.conf.py's health
listener, in gunicorn's master process) does not load the whole application.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def create_app(overrides: dict | None = None) -> Flask:
    """Build the service from the environment; `overrides` replaces environment variables (tests)."""
    from demarche.app import create_app as build

    return build(overrides)
