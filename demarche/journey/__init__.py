"""The citizen's journey, the same for every démarche: consent, certified prefill, review, submission,
receipt. The démarches themselves are declared in demarche/procedures/."""

from __future__ import annotations

from flask import Flask

from demarche.auth import session as auth_session
from demarche.journey import declaration, jobs, retention, session, views  # noqa: F401 - jobs, retention: the queue's prefill, the purge
from demarche.journey import settings as journey_settings


def init_app(app: Flask) -> None:
    journey_settings.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(declaration.bp)  # the identity an e-mail account declares
    auth_session.keep_through_login(session.CHOSEN)  # the démarche picked before login

