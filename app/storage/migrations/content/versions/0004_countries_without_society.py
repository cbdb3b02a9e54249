"""Countries without a Red Cross or Red Crescent National Society say so, with a source.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    with op.batch_alter_table("country") as batch:
        batch.add_column(sa.Column("no_national_society_source", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.create_table(
        "countrytext",
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("lang", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("no_national_society", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["country"], ["country.code"]),
        sa.ForeignKeyConstraint(["lang"], ["language.code"]),
        sa.PrimaryKeyConstraint("country", "lang"),
    )
