"""Cheap checks and rescue of SQLite files on a phone whose storage may be failing."""

from __future__ import annotations

import errno
import logging
import os
import shutil
import sqlite3
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

log = logging.getLogger(__name__)

_MAGIC = b"SQLite format 3\x00"
_SIDE_FILES = ("-wal", "-shm", "-journal")
# Below this, even a setting cannot be saved safely.
MIN_FREE_BYTES = 256 * 1024
_PROBE_BYTES = 64 * 1024


def looks_intact(path: Path) -> bool:
    """Header and length agree (a garbled header or a truncated file fail); no page is read.

    Damage inside pages is found later, by the content check after the first screen.
    """
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError:
        return False
    if len(header) < 100 or not header.startswith(_MAGIC):
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return False
    pages = int.from_bytes(header[28:32], "big")
    # The page count in the header is valid only when its change counter matches.
    if header[24:28] == header[92:96] and pages:
        return size == pages * page_size
    return size > 0 and size % page_size == 0


def passes_quick_check(path: Path) -> bool:
    """SQLite's own check of every page: for small files (the user database)."""
    try:
        connection = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
        try:
            return connection.execute("PRAGMA quick_check").fetchone() == ("ok",)
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return False


def is_busy(error: BaseException) -> bool:
    """Was `error` (or what caused it) SQLite saying another connection holds the file?"""
    seen: BaseException | None = error
    while seen is not None:
        cause = getattr(seen, "orig", None) or seen
        if isinstance(cause, sqlite3.OperationalError) and (
                getattr(cause, "sqlite_errorcode", 0) & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
                or "database is locked" in str(cause)):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def move_aside(path: Path) -> Path:
    """Keep a damaged file (and its side files) under a dated name, for recovery."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    kept = path.with_name(f"{path.name}.damaged-{stamp}")
    os.replace(path, kept)
    for suffix in _SIDE_FILES:
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, kept.with_name(kept.name + suffix))
    return kept


def remove_with_side_files(path: Path) -> None:
    for candidate in (path, *(path.with_name(path.name + s) for s in _SIDE_FILES)):
        candidate.unlink(missing_ok=True)


def _header_size(path: Path) -> int:
    with open(path, "rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or not header.startswith(_MAGIC):
        return 0
    page_size = int.from_bytes(header[16:18], "big")
    return int.from_bytes(header[28:32], "big") * (65536 if page_size == 1 else page_size)


@contextmanager
def _readable(path: Path) -> Iterator[Path]:
    """`path`, or for a file cut short a copy padded back to its length: SQLite refuses the
    whole schema when a table starts past the end, though the tables before it are whole."""
    try:
        missing = _header_size(path) - path.stat().st_size
    except OSError:
        missing = 0
    if missing <= 0:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="salvage-") as folder:
        copy = Path(folder) / path.name
        shutil.copyfile(path, copy)
        with open(copy, "ab") as handle:
            handle.write(b"\0" * missing)
        yield copy


def installed_content_version(path: Path) -> int | None:
    """One query, no engine, no migration: is content installed in `path`, and which version?"""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = connection.execute("SELECT version FROM installedbundle").fetchone()
            return row[0] if row else None
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return None


def read_table(path: Path, table: str, columns: str) -> list[tuple] | None:
    """Every row of `table` in a damaged file, or None when they cannot all be read.

    Read-only, but with the file's WAL (recent writes live there until a checkpoint).
    """
    try:
        with _readable(path) as readable:
            connection = sqlite3.connect(f"file:{readable}?mode=ro", uri=True)
            try:
                return connection.execute(f"SELECT {columns} FROM {table}").fetchall()  # noqa: S608  fixed names
            finally:
                connection.close()
    except (sqlite3.DatabaseError, OSError) as error:
        log.warning("table %s of a damaged database could not be read: %s", table, error)
        return None


@dataclass(frozen=True)
class Writable:
    ok: bool
    reason: str = ""  # read_only | full | the OSError's name


def probe_writable(folder: Path) -> Writable:
    """Can the app save here? Writes and syncs a small file, then removes it."""
    try:
        if shutil.disk_usage(folder).free < MIN_FREE_BYTES:
            return Writable(False, "full")
    except OSError as error:
        return Writable(False, errno.errorcode.get(error.errno or 0, type(error).__name__))
    probe = folder / ".write-probe"
    try:
        with open(probe, "wb") as handle:
            handle.write(b"\0" * _PROBE_BYTES)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        reason = {errno.EROFS: "read_only", errno.EACCES: "read_only", errno.ENOSPC: "full",
                  errno.EDQUOT: "full"}.get(error.errno or 0, errno.errorcode.get(error.errno or 0, "error"))
        return Writable(False, reason)
    finally:
        try:
            probe.unlink(missing_ok=True)
        except OSError:
            pass
    return Writable(True)


def free_bytes(folder: Path) -> int:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return 0
