"""What a citizen can expect and say: the measured processing time of a démarche, and anonymous opinions."""

from __future__ import annotations

from flask import Flask

from demarche.feedback import delays, services, views
from demarche.feedback import settings as feedback_settings


def init_app(app: Flask) -> None:
    """The form's route (rate-limited in the view), the agents' summary with the back-office, the template
    helpers."""
    feedback_settings.init_app(app)
    app.register_blueprint(views.bp)
    if app.config["SETTINGS"].backoffice:
        app.register_blueprint(views.agent_bp)
    app.jinja_env.globals.update(expected_days=delays.expected_days, feedback_ratings=services.RATINGS,
                                 feedback_comment_max=services.COMMENT_MAX)
