"""Issue 20: a dossier filed with a declared identity (no FranceConnect) can be checked by an agent with API
Particulier's identité modality, after the person agreed at the deposit; the person sees the conclusion only.
"""

from __future__ import annotations

from flask import Flask

from demarche.identity_checks import job  # noqa: F401 - declares the background job and the journal's purge


def init_app(app: Flask) -> None:
    """The agents' routes with the back-office; the helpers the dossier pages use."""
    from demarche.identity_checks import views

    if app.config["SETTINGS"].backoffice:
        app.register_blueprint(views.agent_bp)
    app.jinja_env.globals.update(identity_check_panel=views.panel, identity_check_status=views.citizen_status)
