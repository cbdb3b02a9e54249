"""Schema migrations for the two SQLite databases, run with Alembic.

Each database has its own script folder under app/storage/migrations/. The app calls
`upgrade_to_head` every time it opens a database; a database already at head costs
one small query.
"""

from __future__ import annotations

from functools import cache

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from app.storage.paths import MIGRATIONS_DIR

CONTENT = "content"
USER = "user"


def _config(which: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR / which))
    return config


@cache
def head_revision(which: str) -> str:
    return ScriptDirectory.from_config(_config(which)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, which: str, revision: str = "head") -> None:
    """Bring the database at `engine` up to `revision` (default: the newest)."""
    if revision == "head" and current_revision(engine) == head_revision(which):
        return
    config = _config(which)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def run_migrations_in_env(context) -> None:
    """Body of every env.py: migrate on the connection `upgrade` handed over."""
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
