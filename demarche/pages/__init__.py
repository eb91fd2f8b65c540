"""Public pages: home with the FranceConnect button, the citizen's space, the mandatory footer pages,
and the health probes used by load balancers."""

from __future__ import annotations

from flask import Flask

from demarche.pages import views


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
