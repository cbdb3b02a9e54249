"""A contact says which National Society's staff checked its number (`checked_by`, a country code).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    with op.batch_alter_table("contact") as batch:
        batch.add_column(sa.Column("checked_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
