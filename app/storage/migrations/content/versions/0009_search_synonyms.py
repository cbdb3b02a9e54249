"""Search finds a page by another word for the same thing (per-language synonym groups).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    op.create_table(
        "searchsynonym",
        sa.Column("lang", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("word", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("group_no", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["lang"], ["language.code"]),
        sa.PrimaryKeyConstraint("lang", "word", "group_no"),
    )


def downgrade() -> None:
    op.drop_table("searchsynonym")
