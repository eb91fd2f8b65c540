"""The correction loop: an agent asks the citizen to change declared answers, the citizen corrects them on the
démarche's own form (certified values locked) and confirms; the move itself is demarche/dossiers/transitions.py."""

from __future__ import annotations

from flask import Flask

from demarche.corrections import views


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
