"""Checks of identities declared without FranceConnect (issue 20) and the journal of their calls

Revision ID: 0011_identity_checks
Revises: 0010_message_digest
Create Date: 2026-12-07 22:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0011_identity_checks"
down_revision = "0010_message_digest"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "identity_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("consent_id", sa.Integer(), nullable=True),
        sa.Column("agreed", sa.Boolean(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("verified_how", sa.String(length=32), nullable=True),
        sa.Column("requested_by", sa.String(length=320), nullable=True),
        sa.Column("requested_at", sa.DateTime(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("results", sa.JSON(), nullable=True),
        sa.Column("decision", sa.String(length=16), nullable=True),
        sa.Column("decided_by", sa.String(length=320), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["consent_id"], ["consent_record.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossier.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dossier_id"),
    )
    op.create_table(
        "identity_check_call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("agent", sa.String(length=320), nullable=False),
        sa.Column("dossier_reference", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_identity_check_call_at"), "identity_check_call", ["at"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_identity_check_call_at"), table_name="identity_check_call")
    op.drop_table("identity_check_call")
    op.drop_table("identity_check")
