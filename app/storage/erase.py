"""Delete everything the person saved on this phone; the app's content stays.

The keys go first: without them whatever a flash chip still holds of the user database
is noise. Then the database and its side files, the damaged copies kept for recovery
(they may be from a version that did not seal anything), the document safe's photos
(sealed with the personal key, and overwritten all the same), and half-finished downloads.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from app.storage.keys import FileKeyStore
from app.storage.paths import documents_dir, partial_downloads_dir, user_db, user_key_file

log = logging.getLogger(__name__)

_SIDE_FILES = ("", "-wal", "-shm", "-journal")


def _overwrite_and_remove(path: Path) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    with open(path, "r+b") as handle:
        handle.write(b"\0" * size)
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink()


def personal_files(home: Path) -> list[Path]:
    """Every file of the person's data in `home` (the keys first): the key file, key files
    moved aside as damaged or left half-written by a crash, the database and its side
    files, and damaged copies of it kept for recovery (with their side files)."""
    database, key_file = user_db(home), user_key_file(home)
    keys = [key_file, *sorted(home.glob(f"{key_file.name}.damaged-*")), *sorted(home.glob(f"{key_file.name}.*.new"))]
    data = [database.with_name(database.name + s) for s in _SIDE_FILES]
    kept = sorted(home.glob(f"{database.name}.damaged-*"))
    folder = documents_dir(home)
    documents = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    return [f for f in keys + data + kept + documents if f.exists()]


def erase_personal_data(home: Path) -> None:
    """Raises OSError when a file cannot be removed (the folder is read-only)."""
    FileKeyStore(user_key_file(home)).erase()  # the keys first: the rest is noise without them
    for path in personal_files(home):
        _overwrite_and_remove(path)
    if documents_dir(home).is_dir():
        documents_dir(home).rmdir()
    shutil.rmtree(partial_downloads_dir(home), ignore_errors=True)
    log.info("personal data deleted")
