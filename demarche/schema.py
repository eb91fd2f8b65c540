"""The database schema is Alembic's migrations (migrations/, through Flask-Migrate): `flask db upgrade` in
production, `upgrade(app)` for the demo, the tests and the benchmark.

Alembic and Flask-Migrate weigh about 11 MB in each process that imports them. A gunicorn worker only
serves requests and never migrates, so create_app registers Flask-Migrate only when the app is built for
a `flask …` command (inside click's context); the others ask for it through upgrade().
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from demarche.extensions import db

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def register_for_commands(app: Flask) -> None:
    """Give `flask db …` its extension when the app is being built by the flask command line."""
    if click.get_current_context(silent=True) is not None:
        enable(app)


def enable(app: Flask) -> None:
    """Register Flask-Migrate on the app (once)."""
    from flask_migrate import Migrate

    if "migrate" not in app.extensions:
        Migrate(app, db, directory=str(MIGRATIONS))


def upgrade(app: Flask) -> None:
    """Bring the app's database to the latest migration (what `flask db upgrade` does)."""
    from flask_migrate import upgrade as upgrade_to_head

    enable(app)
    with app.app_context():
        upgrade_to_head(directory=str(MIGRATIONS))
