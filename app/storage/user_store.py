"""The one owner of the user database: settings and bookmarks, on disk or in memory.

In memory only when the phone's storage cannot be written (read-only or full): the
app still works, and nothing the person changes outlives it.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.storage import user_data
from app.storage.engines import open_user_engine, open_user_engine_in_memory

log = logging.getLogger(__name__)


class UserStore:
    def __init__(self, engine: Engine, *, in_memory: bool) -> None:
        self.engine = engine
        self.in_memory = in_memory
        # One write path: SQLite allows one writer; sessions of several tabs share this.
        self._write_lock = threading.Lock()

    @classmethod
    def on_disk(cls, path: Path) -> "UserStore":
        return cls(open_user_engine(path), in_memory=False)

    @classmethod
    def in_memory_copy_of(cls, path: Path | None) -> "UserStore":
        return cls(open_user_engine_in_memory(path), in_memory=True)

    def setting(self, key: str, default: Any = None) -> Any:
        with Session(self.engine) as session:
            return user_data.get_setting(session=session, key=key, default=default)

    def set_setting(self, key: str, value: Any) -> None:
        with self._write_lock, Session(self.engine) as session:
            user_data.set_setting(session=session, key=key, value=value)

    def bookmarks(self) -> list[str]:
        with Session(self.engine) as session:
            return user_data.list_bookmarks(session=session)

    def add_bookmark(self, article_id: str) -> None:
        with self._write_lock, Session(self.engine) as session:
            user_data.add_bookmark(session=session, article_id=article_id)

    def remove_bookmark(self, article_id: str) -> None:
        with self._write_lock, Session(self.engine) as session:
            user_data.remove_bookmark(session=session, article_id=article_id)

    def close(self) -> None:
        self.engine.dispose()
