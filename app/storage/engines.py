"""SQLite engines for the content and user databases, migrated on open."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import create_engine

from app.storage import migrate


# Error messages leave out the statement's values: they may be what the person typed or
# saved, and errors are logged.
_HIDE_VALUES = {"hide_parameters": True}


def _sqlite_engine(path: Path, *, journal_mode: str | None, secure_delete: bool = False) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False}, **_HIDE_VALUES)
    _set_pragmas(engine, journal_mode, secure_delete)
    return engine


def _set_pragmas(engine: Engine, journal_mode: str | None, secure_delete: bool = False) -> None:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        if secure_delete:  # deleted rows are overwritten with zeros, not left in free pages
            cursor.execute("PRAGMA secure_delete=ON")
        if journal_mode:
            cursor.execute(f"PRAGMA journal_mode={journal_mode}")
            cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def open_content_engine(path: Path) -> Engine:
    # The content DB is swapped in whole by os.replace, so it must be a single file:
    # a rollback journal, not WAL side files.
    engine = _sqlite_engine(path, journal_mode="DELETE")
    migrate.upgrade(engine, migrate.CONTENT)
    return engine


def open_content_engine_read_only(path: Path) -> Engine:
    """The installed content where nothing can be written (read-only or full storage).

    Never migrated: a database not at the newest schema raises SchemaTooOld.
    """
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true", connect_args={"check_same_thread": False},
                           **_HIDE_VALUES)
    _set_pragmas(engine, journal_mode=None)
    if migrate.current_revision(engine) != migrate.head_revision(migrate.CONTENT):
        engine.dispose()
        raise SchemaTooOld(str(path))
    return engine


class SchemaTooOld(Exception):
    """A database that needs a migration, opened where it cannot be written."""


def open_user_engine(path: Path) -> Engine:
    engine = _sqlite_engine(path, journal_mode="WAL", secure_delete=True)
    migrate.upgrade(engine, migrate.USER)
    return engine


def open_user_engine_in_memory(copy_of: Path | None = None) -> Engine:
    """User data kept only while the app runs (the phone's storage cannot be written),
    starting as a copy of `copy_of` when that file can be read."""
    memory = sqlite3.connect(":memory:", check_same_thread=False)
    if copy_of is not None and copy_of.exists():
        # mode=ro reads the write-ahead log too (a busy file's recent writes are there);
        # immutable is the only way into a WAL file in a read-only folder.
        for mode in ("mode=ro", "immutable=1"):
            try:
                source = sqlite3.connect(f"file:{copy_of}?{mode}", uri=True)
                try:
                    source.backup(memory)
                finally:
                    source.close()
                break
            except sqlite3.OperationalError:
                if mode == "immutable=1":
                    raise
    engine = create_engine("sqlite://", creator=lambda: memory, poolclass=StaticPool, **_HIDE_VALUES)
    _set_pragmas(engine, journal_mode=None)
    migrate.upgrade(engine, migrate.USER)
    return engine
