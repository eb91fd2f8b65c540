"""Renewal for the next school year: start next year's dossier from an accepted one, and the invitation e-mail
sent to the families who asked for it (demarche/renewal/invitations.py)."""

from __future__ import annotations

from flask import Flask

from demarche.renewal import invitations, views  # noqa: F401 - invitations declares the daily job


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
