"""The one owner of the installed content database.

One engine serves every session. An install replaces the file (os.replace); `reload`
then swaps in a new engine under a lock, so a reader gets either the old engine or the
new one, never one half disposed, and tells every subscriber (each open app session)
so all of them show the new version, not only the one that synced.
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from app.storage.engines import open_content_engine, open_content_engine_read_only

log = logging.getLogger(__name__)

Subscriber = Callable[[], None]


class ContentStore:
    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._lock = threading.Lock()
        self._engine = self._open()
        self._subscribers: list[Subscriber] = []

    def _open(self) -> Engine:
        return open_content_engine_read_only(self.path) if self.read_only else open_content_engine(self.path)

    def _current(self) -> Engine:
        with self._lock:
            return self._engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One session for one piece of work (a route loader reads everything it needs in it)."""
        with Session(self._current()) as session:
            yield session

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        with self._current().connect() as connection:
            yield connection

    def reload(self) -> None:
        """The file was replaced by an install or a repair: read the new one from now on."""
        fresh = self._open()
        with self._lock:
            old, self._engine = self._engine, fresh
        # Connections still checked out finish on the old file and are closed on return.
        old.dispose()
        self.notify()

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call `callback` after every reload; returns the function that stops it."""
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    def notify(self) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for callback in subscribers:
            try:
                callback()
            except Exception:  # one closed session must not stop the others hearing of it
                log.exception("a content subscriber failed")

    def close(self) -> None:
        with self._lock:
            self._engine.dispose()
