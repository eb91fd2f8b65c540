"""Chosen sources and kind of each consent, refresh of a draft's certified data, the citizen's word on it

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 22:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    # Nullable everywhere: rows written before this revision have no such answer.
    with op.batch_alter_table("consent_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sources", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("kind", sa.String(length=16), nullable=True))
    with op.batch_alter_table("prefill", schema=None) as batch_op:
        batch_op.add_column(sa.Column("refreshed_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("dossier", schema=None) as batch_op:
        batch_op.add_column(sa.Column("data_correct", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("data_comment", sa.String(length=1000), nullable=True))
        batch_op.add_column(sa.Column("data_refreshed_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("dossier", schema=None) as batch_op:
        batch_op.drop_column("data_refreshed_at")
        batch_op.drop_column("data_comment")
        batch_op.drop_column("data_correct")
    with op.batch_alter_table("prefill", schema=None) as batch_op:
        batch_op.drop_column("refreshed_at")
    with op.batch_alter_table("consent_record", schema=None) as batch_op:
        batch_op.drop_column("kind")
        batch_op.drop_column("sources")
