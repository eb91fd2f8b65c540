"""The messagerie: one text-only thread per dossier between the citizen and the organisation's agents."""

from __future__ import annotations

from flask import Flask

from demarche.messages import services, views


def init_app(app: Flask) -> None:
    """The citizen's pages always; the agents' form with the back-office; unread counts for the templates."""
    app.register_blueprint(views.bp)
    if app.config["SETTINGS"].backoffice:
        app.register_blueprint(views.agent_bp)
    app.jinja_env.globals["unread_messages"] = lambda dossiers, side: services.unread_counts(
        [d.id for d in dossiers], side)
    app.jinja_env.globals["message_max_length"] = services.MAX_LENGTH
