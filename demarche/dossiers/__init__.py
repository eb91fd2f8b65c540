"""The dossier: its model (models.py), states (states.py), transitions (transitions.py: one guarded UPDATE with
its event, e-mail and webhook), submission (submission.py) and retention (retention.py). Every other feature is a
client of these public functions."""

from __future__ import annotations

from flask import Flask

from demarche.dossiers import retention, settings  # noqa: F401 - retention declares the dossier's purge


def init_app(app: Flask) -> None:
    """Read the dossier's settings once (settings.py)."""
    settings.init_app(app)
