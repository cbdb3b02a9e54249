"""The one owner of the user database: settings and bookmarks, on disk or in memory.

Every value is sealed before it is written (app/storage/user_data.py), with keys kept
outside the database (app/storage/keys.py). With the app lock on, the personal values
stay sealed until `unlock` is given the PIN; the device values (language, country, data
use) are readable before, so the lock screen shows the right emergency numbers and the
background sync keeps working. In memory only when the phone's storage cannot be written
(read-only or full): the app still works, and nothing the person changes outlives it.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.storage import user_data
from app.storage.documents import DocumentSafe
from app.storage.engines import open_user_engine, open_user_engine_in_memory
from app.storage.keys import Keys, KeyStore, StoredKeys, WrongPin, encode_keys, unwrap, with_pin, without_pin
from app.storage.outbox import Outbox
from app.storage.paths import documents_dir
from app.storage.sealing import CannotOpen

log = logging.getLogger(__name__)
T = TypeVar("T")

UNLOCK_FAILURES_KEY = "unlock_failures"  # a device setting: {"count": n, "at": unix time of the last}
FREE_TRIES = 5  # wrong PINs allowed before each further try has to wait
MAX_WAIT_S = 15 * 60


class PersonalDataLocked(Exception):
    """A personal value was to be written while the app is locked."""


class CannotKeepPin(Exception):
    """The keys cannot be saved here (storage read-only or full, or a copy in memory)."""


def wait_after(failures: int) -> int:
    """Seconds to wait before the next try: none for the first FREE_TRIES, then doubling."""
    return 0 if failures < FREE_TRIES else min(30 * 2 ** (failures - FREE_TRIES), MAX_WAIT_S)


# What a try at unlocking gave.
@dataclass(frozen=True)
class UnlockResult:
    unlocked: bool
    failures: int = 0  # wrong PINs in a row so far
    wait_s: int = 0  # seconds before the next try is taken


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
    def __init__(self, engine: Engine, *, in_memory: bool, stored: StoredKeys,
                 key_store: KeyStore | None = None, documents_folder: Path | None = None) -> None:
        self.engine = engine
        self._documents_folder = documents_folder  # None: no document is kept (a copy in memory)
        self.in_memory = in_memory
        self._stored = stored
        self._keys = stored.keys()
        self._key_store = key_store  # None: keys that live only as long as the app runs
        # One write path: SQLite allows one writer; sessions of several tabs share this.
        self._write_lock = threading.Lock()
        self._closed = False
        self._unlock_lock = threading.Lock()
        self._unsaved_failures: dict | None = None  # the count of wrong PINs, when it could not be saved

    @classmethod
    def on_disk(cls, path: Path, stored: StoredKeys, key_store: KeyStore | None) -> "UserStore":
        _make_private(path)
        store = cls(open_user_engine(path), in_memory=False, stored=stored, key_store=key_store,
                    documents_folder=documents_dir(path.parent))
        store.seal_plaintext()
        store.documents.remove_leftovers()
        return store

    @classmethod
    def in_memory_copy_of(cls, path: Path | None, stored: StoredKeys | None = None) -> "UserStore":
        """A store that lives as long as the app runs; with no keys given, keys of its own."""
        store = cls(open_user_engine_in_memory(path), in_memory=True, stored=stored or StoredKeys.new())
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

    # The app lock
    @property
    def lock_on(self) -> bool:
        return self._stored.lock_on

    @property
    def locked(self) -> bool:
        return self._keys.personal is None

    def unlock(self, pin: str, *, now: float | None = None) -> UnlockResult:
        """Open the personal key with `pin`. A wrong PIN is counted; past FREE_TRIES each
        try waits longer. Nothing in the database is read, moved or changed by a wrong PIN."""
        with self._unlock_lock:  # one try at a time: two tabs at once would each get a free try
            now = time.time() if now is None else now
            record = self._unsaved_failures or self.setting(UNLOCK_FAILURES_KEY, None) or {"count": 0, "at": 0}
            failures, last = int(record.get("count", 0)), record.get("at", 0)
            if last > now:  # the clock was set back: the wait starts again from now, never longer
                last = now
                self._record_failures({"count": failures, "at": now})
            left = last + wait_after(failures) - now
            if left > 0:
                return UnlockResult(False, failures, math.ceil(left))
            try:
                personal = unwrap(self._stored, pin)
            except WrongPin:
                failures += 1
                self._record_failures({"count": failures, "at": now})
                log.info("wrong PIN (%d in a row)", failures)
                return UnlockResult(False, failures, wait_after(failures))
            self._keys = Keys(device=self._stored.device, personal=personal)
            if failures:
                self._record_failures({"count": 0, "at": 0})
        self.seal_plaintext()
        return UnlockResult(True)

    def _record_failures(self, record: dict) -> None:
        """Kept on disk, so a restart does not reset the count; in memory as well when the
        storage refuses the write (busy, full): a wrong PIN is never left uncounted, and the
        person gets an answer, not an error."""
        try:
            self.set_setting(UNLOCK_FAILURES_KEY, record)
        except Exception:  # noqa: BLE001  whatever the storage says, the count must hold
            log.warning("the count of wrong PINs could not be saved; kept in memory")
            self._unsaved_failures = record
            return
        self._unsaved_failures = None

    def forget_personal_key(self) -> None:
        """Lock again (quick exit): the personal key is dropped from memory when the lock is on."""
        if self.lock_on:
            self._keys = self._stored.keys()

    def set_pin(self, pin: str) -> None:
        self._save_keys(with_pin(self._stored, self._personal_key(), pin))

    def remove_pin(self) -> None:
        self._save_keys(without_pin(self._stored, self._personal_key()))

    def _personal_key(self) -> bytes:
        if self._keys.personal is None:
            raise PersonalDataLocked()
        return self._keys.personal

    def _save_keys(self, stored: StoredKeys) -> None:
        if self._key_store is None or self.in_memory:
            raise CannotKeepPin()
        try:
            self._key_store.write(encode_keys(stored))
        except OSError as error:
            raise CannotKeepPin() from error
        self._stored = stored

    # Settings and bookmarks
    def _readable(self, key: str) -> bool:
        return not (self.locked and user_data.setting_tier(key) == user_data.PERSONAL)

    def setting(self, key: str, default: Any = None) -> Any:
        if not self._readable(key):
            return default
        with Session(self.engine) as session:
            try:
                return user_data.get_setting(session=session, keys=self._keys, key=key, default=default)
            except (CannotOpen, ValueError):  # changed on disk, or sealed with other keys: the name, never the value
                log.warning("setting %r could not be opened with this phone's keys", key)
                return default

    def set_setting(self, key: str, value: Any) -> None:
        if not self._readable(key):
            raise PersonalDataLocked()
        self._write(lambda session: user_data.set_setting(session=session, keys=self._keys, key=key, value=value))

    def bookmarks(self) -> list[str]:
        if self.locked:
            return []
        with Session(self.engine) as session:
            return user_data.list_bookmarks(session=session, keys=self._keys)

    def unopenable(self) -> set[str]:
        """What these keys do not open (see user_data.unopenable); read once, at opening."""
        with Session(self.engine) as session:
            return user_data.unopenable(session=session, keys=self._keys)

    # Backups (app/storage/backup.py)
    def everything(self) -> tuple[dict[str, Any], list[str]]:
        """Every setting and saved article of the person (raises PersonalDataLocked)."""
        self._personal_key()
        with Session(self.engine) as session:
            return user_data.everything(session=session, keys=self._keys)

    def put_all(self, settings: dict[str, Any], bookmarks: list[str]) -> None:
        """A backup's values, all in one transaction (raises PersonalDataLocked)."""
        self._personal_key()
        self._write(lambda session: user_data.put_all(session=session, keys=self._keys, settings=settings,
                                                      bookmarks=bookmarks))

    def add_bookmark(self, article_id: str) -> None:
        self._personal_key()
        self._write(lambda session: user_data.add_bookmark(session=session, keys=self._keys, article_id=article_id))

    def remove_bookmark(self, article_id: str) -> None:
        self._personal_key()
        self._write(lambda session: user_data.remove_bookmark(session=session, keys=self._keys, article_id=article_id))

    def _write(self, work: Callable[[Session], T]) -> T | None:
        """The one write path, for settings, bookmarks and help requests alike. Once the store is
        closed (delete everything, or the app ending) a write still on its way (the background
        updates' or the outbox's) is left out, answering None: it must not bring back a user.db
        sealed with keys that are gone."""
        with self._write_lock:
            if self._closed:
                log.info("a write after the user data was closed was left out")
                return None
            with Session(self.engine) as session:
                return work(session)

    def _guarded(self, work: Callable[[], T]) -> T | None:
        """A write outside the database (a document) on the same path: none once closed."""
        with self._write_lock:
            if self._closed:
                log.info("a document write after the user data was closed was left out")
                return None
            return work()

    @property
    def documents(self) -> DocumentSafe:
        """The document safe (app/storage/documents.py): sealed with the personal key."""
        return DocumentSafe(self._documents_folder, lambda: self._keys.personal, self._guarded)

    @property
    def outbox(self) -> Outbox:
        """Help requests (app/storage/outbox.py): same file, same write lock, the device key."""
        return Outbox(self.engine, self._write, self._keys.device)

    def close(self) -> None:
        with self._write_lock:  # a write under way finishes first
            self._closed = True
            self.engine.dispose()
