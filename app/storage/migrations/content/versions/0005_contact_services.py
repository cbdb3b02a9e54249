"""Emergency numbers say which service answers them (ambulance, police, fire, all, unknown).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    with op.batch_alter_table("contact") as batch:
        batch.add_column(sa.Column("services", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=""))
