"""Help requests (sealed as received), caseworkers' sealed notes, referrals.

Revision ID: 0001_requests
Revises:
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0001_requests"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "help_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("body_hash", sa.String(length=64), nullable=False),
        sa.Column("receipt", sa.String(length=19), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("society", sa.String(length=2), nullable=True),
        sa.Column("route", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=True),
        sa.Column("sealed", sa.LargeBinary(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("message", sa.String(length=500), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("idempotency_key", name="uq_help_request_idempotency_key"),
        sa.UniqueConstraint("receipt", name="uq_help_request_receipt"),
    )
    op.create_index("ix_help_request_society", "help_request", ["society"])
    op.create_table(
        "request_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), sa.ForeignKey("help_request.id", ondelete="CASCADE"), nullable=False),
        sa.Column("author", sa.String(length=320), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_request_note_request_id", "request_note", ["request_id"])
    op.create_table(
        "request_referral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), sa.ForeignKey("help_request.id", ondelete="CASCADE"), nullable=False),
        sa.Column("from_society", sa.String(length=2), nullable=True),
        sa.Column("to_society", sa.String(length=2), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_request_referral_request_id", "request_referral", ["request_id"])


def downgrade() -> None:
    op.drop_table("request_referral")
    op.drop_table("request_note")
    op.drop_table("help_request")
