"""Install a verified set of items into the content database, all or nothing.

The new database is built in a file beside the old one and swapped in with os.replace:
a process killed at any instant leaves the old version or the new one, never a mix.
The verified metadata travels inside the same file, so content and the proof of its
version can never disagree. The user database is a different file, never opened here.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterator

try:
    import fcntl
except ImportError:  # Windows: the thread lock still serialises one app's syncs
    fcntl = None

from sqlalchemy import insert
from sqlmodel import Session, select

from app.content.models import BundleItem, InstalledBundle, TrustedMetadata
from app.content.rows import build_rows
from app.content.search_index import index_texts
from app.storage.engines import open_content_engine
from app.storage.paths import content_db
from app.storage.sqlite_files import installed_content_version


# What is installed now, read in one go from the content DB.
@dataclass(frozen=True)
class InstalledState:
    version: int | None
    item_hashes: dict[str, str] = field(default_factory=dict)
    metadata: dict[str, bytes] = field(default_factory=dict)


# A complete version, checked and ready to install.
@dataclass(frozen=True)
class NewVersion:
    version: int
    format: int
    created_at: datetime
    expires_at: datetime
    items: dict[str, bytes]
    metadata: dict[str, bytes]


# What an install did.
@dataclass(frozen=True)
class InstallResult:
    installed: bool
    version: int
    previous_version: int | None


class InstalledFile:
    """The installed content.db, opened once (one engine, one schema check) for all that a
    sync reads from it: its state first, then the items an update keeps."""

    def __init__(self, home: Path) -> None:
        self.path = content_db(home)
        self._engine = open_content_engine(self.path) if self.path.exists() else None

    def __enter__(self) -> "InstalledFile":
        return self

    def __exit__(self, *_exc) -> None:
        if self._engine is not None:
            self._engine.dispose()

    def state(self) -> InstalledState:
        if self._engine is None:
            return InstalledState(version=None)
        with Session(self._engine) as session:  # closed at once: no lock held while downloading
            bundle = session.exec(select(InstalledBundle)).first()
            hashes = dict(session.exec(select(BundleItem.path, BundleItem.sha256)).all())
            metadata = {row.role: row.data for row in session.exec(select(TrustedMetadata)).all()}
            return InstalledState(version=bundle.version if bundle else None, item_hashes=hashes, metadata=metadata)

    def items(self, paths: set[str] | None = None) -> dict[str, bytes]:
        """The signed bytes of installed items (all, or just `paths`)."""
        if self._engine is None:
            return {}
        with Session(self._engine) as session:
            statement = select(BundleItem.path, BundleItem.data)
            if paths is not None:
                statement = statement.where(BundleItem.path.in_(paths))
            return dict(session.exec(statement).all())


def read_installed(home: Path) -> InstalledState:
    with InstalledFile(home) as installed:
        return installed.state()


def installed_version(home: Path) -> int | None:
    """One query, no engine: the version an install must not go back from."""
    return installed_content_version(content_db(home))


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _build_database(path: Path, new: NewVersion, now: datetime) -> None:
    rows = build_rows({item_path: json.loads(data) for item_path, data in new.items.items()})
    engine = open_content_engine(path)
    try:
        with engine.begin() as connection:
            for model, group in rows.tables_in_insert_order():
                connection.execute(insert(model.__table__), [row.model_dump() for row in group])
            index_texts(connection, [(t.article_id, t.lang, t.title, t.body) for t in rows.article_texts])
            connection.execute(
                insert(BundleItem.__table__),
                [{"path": p, "sha256": hashlib.sha256(d).hexdigest(), "data": d} for p, d in new.items.items()],
            )
            connection.execute(
                insert(TrustedMetadata.__table__), [{"role": r, "data": d} for r, d in new.metadata.items()]
            )
            installed = InstalledBundle(
                version=new.version,
                format=new.format,
                created_at=new.created_at,
                installed_at=now,
                expires_at=new.expires_at,
            )
            connection.execute(insert(InstalledBundle.__table__), [installed.model_dump()])
    finally:
        engine.dispose()


_install_lock = threading.Lock()


@contextmanager
def _one_install_at_a_time(home: Path) -> Iterator[None]:
    """Two syncs (two sessions, or the app and the command line) must not share the staging file."""
    with _install_lock, open(home / ".install.lock", "w") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def disk_full(error: Exception) -> bool:
    """Whether a failed write failed for want of space."""
    if isinstance(error, OSError):
        return error.errno in (errno.ENOSPC, errno.EDQUOT)
    return "full" in str(error).lower()  # SQLite: "database or disk is full"


class ConcurrentUpdate(Exception):
    """Another install changed the content while this one was being prepared."""


def install_version(home: Path, new: NewVersion, *, now: datetime, based_on: int | None | object = ...) -> InstallResult:
    """Install `new` unless the same or a newer version is already installed.

    `based_on` is the version `new` was computed from (an update merges with it); if another
    install replaced it meanwhile, nothing is installed and ConcurrentUpdate is raised.
    """
    with _one_install_at_a_time(home):
        current = installed_version(home)
        if based_on is not ... and current != based_on and (current is None or current < new.version):
            raise ConcurrentUpdate(f"prepared on version {based_on}, installed is now {current}")
        if current is not None and current >= new.version:
            return InstallResult(installed=False, version=current, previous_version=current)
        return _swap_in(home, new, now=now, previous=current)


def reinstall_version(home: Path, new: NewVersion, *, now: datetime) -> InstallResult:
    """Build the installed version again from its verified items (repair of a damaged file)."""
    with _one_install_at_a_time(home):
        return _swap_in(home, new, now=now, previous=new.version)


def _swap_in(home: Path, new: NewVersion, *, now: datetime, previous: int | None) -> InstallResult:
    target = content_db(home)
    staging = target.with_name(target.name + ".new")
    staging.unlink(missing_ok=True)
    try:
        _build_database(staging, new, now)
        _fsync(staging)
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)
    _fsync(home)
    return InstallResult(installed=True, version=new.version, previous_version=previous)
