"""Alembic environment of the server database: migrate on the connection `migrate_database`
hands over. The metadata (for `alembic revision --autogenerate`) is the requests, staff and
content tables."""

from alembic import context
from sqlmodel import SQLModel

import sync_server.editor.models  # noqa: F401  (registers the tables on SQLModel.metadata)
import sync_server.requests.models  # noqa: F401
import sync_server.staff.models  # noqa: F401

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=SQLModel.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
