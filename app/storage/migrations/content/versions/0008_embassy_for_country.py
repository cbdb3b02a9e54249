"""An embassy contact says whose embassy it is (`for_country`, a country code), so a guide
shows people their own country's embassy and no other.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    with op.batch_alter_table("contact") as batch:
        batch.add_column(sa.Column("for_country", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
