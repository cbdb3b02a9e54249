"""The one owner of the user database: settings and bookmarks, on disk or in memory.

Every value is sealed before it is written (app/storage/user_data.py), with keys kept
outside the database (app/storage/keys.py). In memory only when the phone's storage
cannot be written (read-only or full): the app still works, and nothing the person
changes outlives it.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.storage import user_data
from app.storage.engines import open_user_engine, open_user_engine_in_memory
from app.storage.keys import Keys
from app.storage.outbox import Outbox
from app.storage.sealing import CannotOpen

log = logging.getLogger(__name__)


def _make_private(path: Path) -> None:
    """The database readable only by the app's user before SQLite opens it: SQLite gives
    the side files it makes (-wal, -shm) the database's mode. Side files an older
    version made are narrowed too."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))  # an empty file is an empty database
        for candidate in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
            if candidate.exists():
                os.chmod(candidate, 0o600)
    except OSError:
        log.warning("user database permissions could not be narrowed", exc_info=True)


class UserStore:
    def __init__(self, engine: Engine, *, in_memory: bool, keys: Keys) -> None:
        self.engine = engine
        self.in_memory = in_memory
        self._keys = keys
        # One write path: SQLite allows one writer; sessions of several tabs share this.
        self._write_lock = threading.Lock()

    @classmethod
    def on_disk(cls, path: Path, keys: Keys) -> "UserStore":
        _make_private(path)
        store = cls(open_user_engine(path), in_memory=False, keys=keys)
        store.seal_plaintext()
        return store

    @classmethod
    def in_memory_copy_of(cls, path: Path | None, keys: Keys | None = None) -> "UserStore":
        """A store that lives as long as the app runs; with no keys given, keys of its own."""
        store = cls(open_user_engine_in_memory(path), in_memory=True, keys=keys or Keys.new())
        store.seal_plaintext()
        return store

    def seal_plaintext(self) -> None:
        """Seal what an older version stored in plain text, then leave no copy of it behind:
        the file is rewritten (VACUUM) and its write-ahead log emptied. Until both are done
        the file says a scrub is pending, so a launch after a crash finishes it."""
        with self._write_lock, Session(self.engine) as session:
            sealed = user_data.seal_plaintext(session=session, keys=self._keys)
            pending = not self.in_memory and user_data.scrub_pending(session=session)
        if sealed:
            log.info("user database: %d values from an older version sealed", sealed)
        if pending:
            self._scrub()

    def _scrub(self) -> None:
        with self._write_lock, self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM")
            busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()[0]
            if busy:  # a reader still holds old pages: the next launch tries again
                log.warning("user database: plain copies not yet removed (the file is busy)")
                return
            connection.exec_driver_sql("PRAGMA user_version = 0")
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        log.info("user database: rewritten without plain copies")

    def setting(self, key: str, default: Any = None) -> Any:
        with Session(self.engine) as session:
            try:
                return user_data.get_setting(session=session, keys=self._keys, key=key, default=default)
            except (CannotOpen, ValueError):  # changed on disk, or sealed with other keys: the name, never the value
                log.warning("setting %r could not be opened with this phone's keys", key)
                return default

    def set_setting(self, key: str, value: Any) -> None:
        with self._write_lock, Session(self.engine) as session:
            user_data.set_setting(session=session, keys=self._keys, key=key, value=value)

    def bookmarks(self) -> list[str]:
        with Session(self.engine) as session:
            return user_data.list_bookmarks(session=session, keys=self._keys)

    def unopenable(self) -> set[str]:
        """What these keys do not open (see user_data.unopenable); read once, at opening."""
        with Session(self.engine) as session:
            return user_data.unopenable(session=session, keys=self._keys)

    def add_bookmark(self, article_id: str) -> None:
        with self._write_lock, Session(self.engine) as session:
            user_data.add_bookmark(session=session, keys=self._keys, article_id=article_id)

    def remove_bookmark(self, article_id: str) -> None:
        with self._write_lock, Session(self.engine) as session:
            user_data.remove_bookmark(session=session, keys=self._keys, article_id=article_id)

    @property
    def outbox(self) -> Outbox:
        """Help requests (app/storage/outbox.py): same file, same write lock, the device key."""
        return Outbox(self.engine, self._write_lock, self._keys.device)

    def close(self) -> None:
        self.engine.dispose()
