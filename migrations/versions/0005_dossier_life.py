"""The dossier's life after the deposit: messagerie, purged references for the verification page, opinions

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 10:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "dossier_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("author", sa.String(length=16), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("agent_name", sa.String(length=255), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["agent_id"], ["agent.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossier.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_dossier_message_dossier_id"), "dossier_message", ["dossier_id"], unique=False)
    op.create_table(
        "message_thread",
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("citizen_read_at", sa.DateTime(), nullable=True),
        sa.Column("agent_read_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossier.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("dossier_id"),
    )
    op.create_table(
        "purged_reference",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("purged_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("digest"),
    )
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("procedure", sa.String(length=64), nullable=False),
        sa.Column("organisation_siret", sa.String(length=14), nullable=True),
        sa.Column("rating", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.String(length=1000), nullable=True),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_feedback_procedure"), "feedback", ["procedure"], unique=False)
    op.create_index(op.f("ix_feedback_organisation_siret"), "feedback", ["organisation_siret"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_feedback_organisation_siret"), table_name="feedback")
    op.drop_index(op.f("ix_feedback_procedure"), table_name="feedback")
    op.drop_table("feedback")
    op.drop_table("purged_reference")
    op.drop_table("message_thread")
    op.drop_index(op.f("ix_dossier_message_dossier_id"), table_name="dossier_message")
    op.drop_table("dossier_message")
