"""Content in the server database: the approved state, every version, staff changes (issue 14).

Revision ID: 0003_content
Revises: 0002_staff
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003_content"
down_revision = "0002_staff"

_UTC = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "content_item",
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("item", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("path"),
    )
    op.create_table(
        "content_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=False),
        sa.Column("item", sa.Text(), nullable=True),
        sa.Column("author_account_id", sa.Integer(), nullable=False),
        sa.Column("author_email", sa.String(length=254), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reviewer_email", sa.String(length=254), nullable=True),
        sa.Column("reason", sa.String(length=2000), nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=False),
        sa.Column("restores_version", sa.Integer(), nullable=True),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.Column("decided_at", _UTC(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_content_change_path", "content_change", ["path"])
    op.create_index("ix_content_change_status", "content_change", ["status"])
    op.create_table(
        "content_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("item", sa.Text(), nullable=True),
        sa.Column("change_id", sa.Integer(), sa.ForeignKey("content_change.id"), nullable=True),
        sa.Column("author_email", sa.String(length=254), nullable=True),
        sa.Column("approved_by_email", sa.String(length=254), nullable=True),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("path", "version", name="uq_content_version_path_version"),
    )
    op.create_index("ix_content_version_path", "content_version", ["path"])


def downgrade() -> None:
    op.drop_table("content_version")
    op.drop_table("content_change")
    op.drop_table("content_item")
