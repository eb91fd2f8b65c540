"""The schema comes from the migrations, and the models never drift from them."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from demarche.extensions import db


def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], f"run `flask db migrate`: models and migrations differ: {differences}"
