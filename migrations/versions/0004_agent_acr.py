"""Access journal: the agent's ProConnect login level (acr) with each line

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 12:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    # Nullable: lines written before this revision have no recorded level.
    with op.batch_alter_table("access_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("acr", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("access_log", schema=None) as batch_op:
        batch_op.drop_column("acr")
