"""Webhook signing secrets encrypted at rest (DATA_ENCRYPTION_KEYS, demarche/encryption.py)

Revision ID: 0013_webhook_secrets
Revises: 0012_counter_mandates
Create Date: 2026-12-07 22:00:00

The columns widen to hold a Fernet token; the secrets stored in clear are encrypted with the newest key of
the environment running the upgrade (the same DATA_ENCRYPTION_KEYS and SECRET_KEY as the service).
"""
import sqlalchemy as sa
from alembic import context, op

revision = "0013_webhook_secrets"
down_revision = "0012_counter_mandates"
branch_labels = None
depends_on = None

ENDPOINTS = sa.table("webhook_endpoint", sa.column("id", sa.Integer), sa.column("secret", sa.String),
                     sa.column("previous_secret", sa.String))
PLAIN_PREFIX = "whsec_"  # demarche/webhooks/signing.py: every secret in clear starts so, a Fernet token never


def upgrade():
    with op.batch_alter_table("webhook_endpoint") as batch:
        batch.alter_column("secret", type_=sa.String(512), existing_type=sa.String(128), existing_nullable=False)
        batch.alter_column("previous_secret", type_=sa.String(512), existing_type=sa.String(128))
    if not context.is_offline_mode():
        from demarche import encryption

        _rewrite(lambda value: encryption.encrypt(value) if value.startswith(PLAIN_PREFIX) else value)


def downgrade():
    if not context.is_offline_mode():
        from demarche import encryption

        _rewrite(lambda value: value if value.startswith(PLAIN_PREFIX) else encryption.decrypt(value))
    with op.batch_alter_table("webhook_endpoint") as batch:
        batch.alter_column("secret", type_=sa.String(128), existing_type=sa.String(512), existing_nullable=False)
        batch.alter_column("previous_secret", type_=sa.String(128), existing_type=sa.String(512))


def _rewrite(change):
    connection = op.get_bind()
    for row in connection.execute(sa.select(ENDPOINTS)).all():
        values = {name: change(getattr(row, name)) for name in ("secret", "previous_secret")
                  if getattr(row, name) is not None}
        connection.execute(ENDPOINTS.update().where(ENDPOINTS.c.id == row.id).values(**values))
