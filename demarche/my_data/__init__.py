"""« Mes données »: everything the service holds about the signed-in citizen (views.py), and who accessed
their dossiers (transparency.py)."""

from __future__ import annotations

from flask import Flask

from demarche.my_data import views


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
