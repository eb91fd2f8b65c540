"""flask commands for operators: sessions purge (more come with retention)."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import Flask, current_app

from demarche.sessions import purge_expired_sessions


def register(app: Flask) -> None:
    @app.cli.command("purge-sessions")
    def purge_sessions() -> None:
        """Delete expired sessions (idle or absolute timeout) and print how many."""
        settings = current_app.config["SETTINGS"]
        count = purge_expired_sessions(timedelta(minutes=settings.session_idle_minutes))
        click.echo(f"{count} session(s) expirée(s) supprimée(s).")
