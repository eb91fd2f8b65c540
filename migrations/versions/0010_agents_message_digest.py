"""The agents' message notices as a digest: when the organisation was last told of a citizen's message, and when
the digest of the messages written since is due

Revision ID: 0010_message_digest
Revises: 0009
Create Date: 2026-12-07 21:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0010_message_digest"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("message_thread") as batch:
        batch.add_column(sa.Column("agents_notified_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("agents_digest_due_at", sa.DateTime(), nullable=True))
        batch.create_index("ix_message_thread_agents_digest_due_at", ["agents_digest_due_at"], unique=False)


def downgrade():
    with op.batch_alter_table("message_thread") as batch:
        batch.drop_index("ix_message_thread_agents_digest_due_at")
        batch.drop_column("agents_digest_due_at")
        batch.drop_column("agents_notified_at")
