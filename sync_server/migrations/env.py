"""Alembic environment of the server database: migrate on the connection `migrate_database`
hands over. The metadata (for `alembic revision --autogenerate`) is the requests tables and,
once that module exists, the staff tables."""

import importlib

from alembic import context
from sqlmodel import SQLModel

import sync_server.requests.models  # noqa: F401  (registers the tables on SQLModel.metadata)

try:
    importlib.import_module("sync_server.staff.models")
except ModuleNotFoundError as missing:
    if missing.name not in ("sync_server.staff", "sync_server.staff.models"):
        raise

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=SQLModel.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
