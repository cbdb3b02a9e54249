"""The server's one database: SQLite `D/server.db` by default, PostgreSQL when DATABASE_URL
is set (several stateless serving processes can then share it behind a load balancer).

Tables are made only by the Alembic migrations in sync_server/migrations/ (run by `serve`
at start and by `python -m sync_server migrate`). Routes get a session with `SessionDep`;
tests may override `get_db`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Iterator

from fastapi import Depends, Request
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from sync_server.paths import PACKAGE_DIR, server_db

DATABASE_URL_ENV = "DATABASE_URL"
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"
_MIGRATION_LOCK = 0x5AFE_0013  # any number, the same in every serving process
# PostgreSQL connections per serving worker (workers × this must stay under max_connections).
POOL_SIZE = 20


def database_url(data: Path) -> str:
    """DATABASE_URL (postgresql://… is driven by psycopg 3), else the SQLite file in `data`."""
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if not url:
        return f"sqlite:///{server_db(data)}"
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the one writer
    cursor.execute("PRAGMA synchronous=FULL")  # a 201 is on disk: the phone deletes its copy after it
    cursor.execute("PRAGMA busy_timeout=10000")  # several workers share the file
    cursor.execute("PRAGMA secure_delete=ON")  # a withdrawn request's sealed bytes are overwritten
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def engine_for(data: Path) -> Engine:
    """The engine for the server whose data folder is `data` (SQLite file made 0600 first)."""
    url = database_url(data)
    # hide_parameters: a failing statement's values (sealed bytes, a note's author) never reach a log.
    if not url.startswith("sqlite"):
        # A fixed pool: connections made and dropped past a pool size (overflow) cost a server
        # process each, and stalled requests for a second when connects queued. No pre-ping (a
        # round trip per request); connections are recycled before servers drop them.
        return create_engine(url, hide_parameters=True, pool_recycle=1800, pool_size=POOL_SIZE, max_overflow=0,
                             pool_timeout=10)
    path = server_db(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))  # SQLite gives -wal and -shm the same mode
    engine = create_engine(url, hide_parameters=True, connect_args={"check_same_thread": False, "timeout": 10})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _read_only_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA query_only=ON")  # belt and braces: the file is opened read-only too
    cursor.close()


def read_only_engine(data: Path) -> Engine | None:
    """An engine that cannot write, for the publisher (it signs what staff approved and never
    changes it): SQLite opened read-only, PostgreSQL in read-only transactions. None when the
    server has no SQLite database yet (nothing was ever imported or served)."""
    url = database_url(data)
    if not url.startswith("sqlite"):
        return create_engine(url, hide_parameters=True, pool_size=2, max_overflow=0,
                             connect_args={"options": "-c default_transaction_read_only=on"})
    path = server_db(data)
    if not path.exists():
        return None
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true", hide_parameters=True,
                           connect_args={"check_same_thread": False, "timeout": 10})
    event.listen(engine, "connect", _read_only_pragmas)
    return engine


def migrate_database(engine: Engine) -> None:
    """Bring the database up to the newest revision (no-op when it is there)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several serving machines may start at once on one database: one migrates, the
            # others wait for it here and then find nothing to do.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def get_db(request: Request) -> Iterator[Session]:
    """One session per request, on the engine the serving app opened at start."""
    with Session(request.app.state.db_engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_db)]
