"""Corrections asked of the citizen (event changes), declared form data, renewal opt-in and invitations

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 10:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("dossier_event", sa.Column("changes", sa.JSON(), nullable=True))
    op.add_column("dossier", sa.Column("form_data", sa.JSON(), nullable=True))
    op.add_column("dossier", sa.Column("renewal_reminder", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("dossier", sa.Column("renewal_of", sa.String(length=32), nullable=True))
    op.create_index(op.f("ix_dossier_renewal_of"), "dossier", ["renewal_of"], unique=False)
    op.create_table(
        "renewal_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("school_year", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossier.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dossier_id", "school_year", name="uq_renewal_invitation_dossier_year"),
    )
    op.create_index(op.f("ix_renewal_invitation_dossier_id"), "renewal_invitation", ["dossier_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_renewal_invitation_dossier_id"), table_name="renewal_invitation")
    op.drop_table("renewal_invitation")
    with op.batch_alter_table("dossier") as batch:
        batch.drop_index(batch.f("ix_dossier_renewal_of"))
        batch.drop_column("renewal_of")
        batch.drop_column("renewal_reminder")
        batch.drop_column("form_data")
    with op.batch_alter_table("dossier_event") as batch:
        batch.drop_column("changes")
