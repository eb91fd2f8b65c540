"""Filing at the counter for a person present (issue 20): the mandate and the agents' authorisation to file

Revision ID: 0012_counter_mandates
Revises: 0011_identity_checks
Create Date: 2026-12-07 22:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0012_counter_mandates"
down_revision = "0011_identity_checks"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "mandate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("match_key", sa.String(length=64), nullable=False),
        sa.Column("identity", sa.JSON(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("agent_email", sa.String(length=320), nullable=False),
        sa.Column("agent_name", sa.String(length=255), nullable=False),
        sa.Column("siret", sa.String(length=14), nullable=False),
        sa.Column("procedure", sa.String(length=64), nullable=False),
        sa.Column("document_kind", sa.String(length=32), nullable=False),
        sa.Column("obtained_how", sa.String(length=16), nullable=False),
        sa.Column("duration_days", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("dossier_reference", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("matched_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["citizen_id"], ["citizen.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["agent_id"], ["agent.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("citizen_id", "match_key", "siret", "expires_at", "dossier_reference"):
        op.create_index(f"ix_mandate_{column}", "mandate", [column])
    with op.batch_alter_table("agent_authorisation") as batch:
        batch.add_column(sa.Column("counter_filing", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("agent_authorisation") as batch:
        batch.drop_column("counter_filing")
    for column in ("citizen_id", "match_key", "siret", "expires_at", "dossier_reference"):
        op.drop_index(f"ix_mandate_{column}", table_name="mandate")
    op.drop_table("mandate")
