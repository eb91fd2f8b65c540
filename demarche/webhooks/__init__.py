"""Signed webhooks (Standard Webhooks) per organisation: events recorded with the dossier's change, delivered by
the task queue in order per dossier, retried for a day, logged for the agents (docs/webhooks.md)."""

from __future__ import annotations

from flask import Flask

from demarche.webhooks import delivery, events, retention  # noqa: F401 - the queue's job, the log's purge
from demarche.webhooks import settings as webhook_settings


def init_app(app: Flask) -> None:
    """The operators' commands, and the agents' delivery log when the back-office is on."""
    from demarche.webhooks import cli, views

    webhook_settings.init_app(app)
    app.cli.add_command(cli.group)
    if app.config["SETTINGS"].backoffice:
        app.register_blueprint(views.bp)
