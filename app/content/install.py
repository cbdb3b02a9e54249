"""Install a verified bundle into the content database, all or nothing.

The new database is built in a file beside the old one and swapped in with
os.replace: a process killed at any instant leaves the old version or the new one,
never a mix. The user database is a different file and is never opened here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import Session, select

from app.content.models import InstalledBundle
from app.content.rows import build_rows
from app.content.search_index import index_texts
from app.content.verify import VerifiedBundle
from app.storage.engines import open_content_engine
from app.storage.paths import content_db, trusted_metadata_dir


# What an install did.
@dataclass(frozen=True)
class InstallResult:
    installed: bool
    version: int
    previous_version: int | None


def installed_version(home: Path) -> int | None:
    path = content_db(home)
    if not path.exists():
        return None
    engine = open_content_engine(path)
    try:
        with Session(engine) as session:
            bundle = session.exec(select(InstalledBundle)).first()
            return bundle.version if bundle else None
    finally:
        engine.dispose()


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write_file_atomically(path: Path, data: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    with partial.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


def _build_database(path: Path, bundle: VerifiedBundle, now: datetime) -> None:
    rows = build_rows(bundle.items)
    engine = open_content_engine(path)
    try:
        with engine.begin() as connection:
            for model, group in rows.tables_in_insert_order():
                connection.execute(insert(model.__table__), [row.model_dump() for row in group])
            installed = InstalledBundle(
                version=bundle.version,
                format=bundle.format,
                created_at=bundle.created_at,
                installed_at=now,
                expires_at=bundle.expires_at,
            )
            connection.execute(insert(InstalledBundle.__table__), [installed.model_dump()])
            index_texts(connection, [(t.article_id, t.lang, t.title, t.body) for t in rows.article_texts])
    finally:
        engine.dispose()


def install_bundle(home: Path, bundle: VerifiedBundle, *, now: datetime | None = None) -> InstallResult:
    """Install `bundle` unless the same or a newer version is already installed."""
    previous = installed_version(home)
    if previous is not None and previous >= bundle.version:
        return InstallResult(installed=False, version=previous, previous_version=previous)
    target = content_db(home)
    staging = target.with_name(target.name + ".new")
    staging.unlink(missing_ok=True)
    _build_database(staging, bundle, now or datetime.now(timezone.utc))
    _fsync(staging)
    os.replace(staging, target)
    _fsync(home)
    trusted = trusted_metadata_dir(home)
    trusted.mkdir(exist_ok=True)
    for name, data in bundle.metadata_files.items():
        _write_file_atomically(trusted / name, data)
    return InstallResult(installed=True, version=bundle.version, previous_version=previous)
