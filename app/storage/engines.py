"""SQLite engines for the content and user databases, migrated on open."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import create_engine

from app.storage import migrate


def _sqlite_engine(path: Path, *, journal_mode: str) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA journal_mode={journal_mode}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    return engine


def open_content_engine(path: Path) -> Engine:
    # The content DB is swapped in whole by os.replace, so it must be a single file:
    # a rollback journal, not WAL side files.
    engine = _sqlite_engine(path, journal_mode="DELETE")
    migrate.upgrade(engine, migrate.CONTENT)
    return engine


def open_user_engine(path: Path) -> Engine:
    engine = _sqlite_engine(path, journal_mode="WAL")
    migrate.upgrade(engine, migrate.USER)
    return engine
