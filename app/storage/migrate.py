"""Schema migrations for the two SQLite databases, run with Alembic.

Each database has its own script folder under app/storage/migrations/. Every open checks
the database's revision with one query against the newest revision named in the script
files; Alembic itself (slow to import) is loaded only when a migration must run.
"""

from __future__ import annotations

import re
from functools import cache

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from app.storage.paths import MIGRATIONS_DIR

CONTENT = "content"
USER = "user"

# `revision = "0002"`, also with a type annotation (`revision: str = "0002"`).
_REVISION = re.compile(r"^revision\s*(?::[^=\n]*)?=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\s*(?::[^=\n]*)?=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)


def _config(which: str):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR / which))
    return config


@cache
def head_revision(which: str) -> str:
    """The newest revision: the one no script names as its down_revision.

    Read from the script files with a regular expression so a start-up that needs no
    migration never imports Alembic (tests check it agrees with Alembic's own answer).
    """
    revisions, parents = set(), set()
    for script in (MIGRATIONS_DIR / which / "versions").glob("*.py"):
        source = script.read_text(encoding="utf-8")
        revisions.update(_REVISION.findall(source))
        parents.update(_DOWN_REVISION.findall(source))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"{which} migrations have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()


def current_revision(engine: Engine) -> str | None:
    """The database's revision (one query); None for a database never migrated."""
    with engine.connect() as connection:
        try:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except OperationalError as error:
            if "no such table" in str(error):
                return None
            raise


def upgrade(engine: Engine, which: str, revision: str = "head") -> None:
    """Bring the database at `engine` up to `revision` (default: the newest)."""
    if revision == "head" and current_revision(engine) == head_revision(which):
        return
    from alembic import command

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
