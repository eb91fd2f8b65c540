"""The agents' back-office: dossiers by status, the dossier with the origin of every value, instruction,
exports, and the journal of who opened what. Agents log in with ProConnect (demarche/auth/proconnect.py)."""

from __future__ import annotations

from flask import Flask

from demarche.backoffice import views


def init_app(app: Flask) -> None:
    """The agents' pages exist only with a ProConnect client (PROCONNECT_*)."""
    if app.config["SETTINGS"].backoffice:
        app.register_blueprint(views.bp)
