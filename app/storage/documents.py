"""The document safe: photos of the passport, visa, contract, ID or payslips, sealed on the phone.

Each document is one file in the `documents` folder of the data home, named by a random
id (the name says nothing about what it holds). It is sealed with the personal key
(app/storage/keys.py), like the personal values of the user database, before any byte
reaches the disk:

    b"SJD1" | length of the sealed description (4 bytes, big-endian) | sealed description | sealed photo

The description (the file's name, its type, size and the day it was added) is sealed
apart, so the list is read without opening every photo. The document's id is bound into
both seals, so a description or photo moved to another file does not open. A file is
written beside, synced, then renamed into place: a crash leaves either the whole
document or none (the leftover `*.part` is removed on the next look). A file these keys
do not open, or that was changed, is listed as damaged; the others still open.

Only photos are taken (JPEG, PNG, WebP): the phone can show them offline without any
other app. Limits: MAX_DOCUMENT_BYTES each, MAX_DOCUMENTS and MAX_TOTAL_BYTES in all.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, TypeVar

from app.storage.sealing import CannotOpen, open_bytes, seal_bytes
from app.storage.sqlite_files import MIN_FREE_BYTES

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024  # a phone's photo is 2 to 6 MB
MAX_DOCUMENTS = 30
MAX_TOTAL_BYTES = 100 * 1024 * 1024
MAX_NAME_CHARS = 80
_MAGIC = b"SJD1"
_SUFFIX = ".sjd"
_ID = re.compile(r"^[0-9a-f]{32}$")
_PHOTO_TYPES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}
_NO_ROOM = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}


class DocumentProblem(Exception):
    """Why a document could not be kept or opened (the UI picks the words). Nothing half-saved."""


class DocumentTooBig(DocumentProblem):
    """Larger than MAX_DOCUMENT_BYTES."""


class SafeFull(DocumentProblem):
    """MAX_DOCUMENTS or MAX_TOTAL_BYTES would be passed: delete one first."""


class NoRoom(DocumentProblem):
    """The phone's storage is full or cannot be written here."""


class NotAPhoto(DocumentProblem):
    """Not a JPEG, PNG or WebP photo."""


class DocumentsLocked(DocumentProblem):
    """The app lock is on and the PIN was not given."""


class DocumentDamaged(DocumentProblem):
    """Changed on disk, or sealed with other keys; `name` when its description still opens."""

    def __init__(self, document_id: str, name: str | None = None) -> None:
        super().__init__(document_id)
        self.document_id = document_id
        self.name = name


class DocumentMissing(DocumentProblem):
    """No document has this id (deleted meanwhile, perhaps from another tab)."""


# One document as the list shows it; name/type/added are None when its description does not open.
@dataclass(frozen=True)
class DocumentEntry:
    id: str
    name: str | None
    type: str | None
    size: int  # the photo's own size (the file on disk, for a damaged one)
    added: datetime | None

    @property
    def damaged(self) -> bool:
        return self.name is None


# How full the safe is.
@dataclass(frozen=True)
class SafeUse:
    count: int
    total_bytes: int


def photo_type(data: bytes) -> str | None:
    """The photo's type from its first bytes (never from its name), or None."""
    for magic, kind in _PHOTO_TYPES.items():
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _context(document_id: str, part: str) -> str:
    return f"document:{document_id}:{part}"


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def overwrite_and_remove(path: Path) -> None:
    """Overwrite with zeros, then remove. Flash may keep old blocks: the key is the protection."""
    try:
        size = path.stat().st_size
        with open(path, "r+b") as handle:
            handle.write(b"\0" * size)
            handle.flush()
            os.fsync(handle.fileno())
    except FileNotFoundError:
        return
    path.unlink(missing_ok=True)


class DocumentSafe:
    """The documents in `folder` (None: a copy of the data in memory, which keeps none)."""

    def __init__(self, folder: Path | None, key: Callable[[], bytes | None],
                 guard: Callable[[Callable[[], T]], T | None]) -> None:
        self.folder = folder
        self._key = key  # the personal key; None while the app is locked
        self._guard = guard  # the user store's one write path: refuses writes once it is closed

    def _personal_key(self) -> bytes:
        key = self._key()
        if key is None:
            raise DocumentsLocked()
        return key

    def _files(self) -> list[Path]:
        if self.folder is None or not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.glob(f"*{_SUFFIX}") if _ID.match(p.stem))

    def _path(self, document_id: str) -> Path:
        if self.folder is None or not _ID.match(document_id):
            raise DocumentMissing(document_id)
        return self.folder / f"{document_id}{_SUFFIX}"

    # Reading
    def _describe(self, key: bytes, path: Path) -> DocumentEntry:
        document_id = path.stem
        try:
            with open(path, "rb") as handle:
                head = handle.read(8)
                length = int.from_bytes(head[4:8], "big")
                if head[:4] != _MAGIC or length > 64 * 1024:
                    raise CannotOpen("header")
                description = json.loads(open_bytes(key, handle.read(length), context=_context(document_id, "about")))
            return DocumentEntry(id=document_id, name=str(description["name"]), type=str(description["type"]),
                                 size=int(description["size"]), added=datetime.fromisoformat(description["added"]))
        except (OSError, CannotOpen, ValueError, KeyError, TypeError):
            log.warning("a document's description could not be opened with this phone's keys")
            return DocumentEntry(id=document_id, name=None, type=None, size=_size(path), added=None)

    def list(self) -> list[DocumentEntry]:
        """Every document, newest first; damaged ones last. Raises DocumentsLocked."""
        key = self._personal_key()
        entries = [self._describe(key, path) for path in self._files()]
        floor = datetime.min.replace(tzinfo=timezone.utc)
        return sorted(entries, key=lambda e: (e.damaged, -(e.added or floor).timestamp(), e.name or "", e.id))

    def use(self) -> SafeUse:
        """How many documents and how many bytes on disk (readable while locked: says nothing inside)."""
        files = self._files()
        return SafeUse(count=len(files), total_bytes=sum(_size(p) for p in files))

    def open(self, document_id: str) -> tuple[DocumentEntry, bytes]:
        """The document and its photo. Raises DocumentsLocked, DocumentMissing, DocumentDamaged."""
        key = self._personal_key()
        path = self._path(document_id)
        if not path.exists():
            raise DocumentMissing(document_id)
        entry = self._describe(key, path)
        if entry.damaged:
            raise DocumentDamaged(document_id)
        try:
            data = path.read_bytes()
            start = 8 + int.from_bytes(data[4:8], "big")
            photo = open_bytes(key, data[start:], context=_context(document_id, "photo"))
        except (OSError, CannotOpen):
            log.warning("a document's photo could not be opened with this phone's keys")
            raise DocumentDamaged(document_id, entry.name) from None
        return entry, photo

    # Writing
    def add(self, name: str, data: bytes, *, now: datetime | None = None) -> DocumentEntry | None:
        """Seal and keep a photo; None when the user data was closed meanwhile (delete everything).
        Raises DocumentsLocked, NotAPhoto, DocumentTooBig, SafeFull, NoRoom: then nothing is kept."""
        key = self._personal_key()
        if len(data) > MAX_DOCUMENT_BYTES:
            raise DocumentTooBig()
        kind = photo_type(data)
        if kind is None:
            raise NotAPhoto()
        if self.folder is None:
            raise NoRoom()
        return self._guard(lambda: self._add(key, name, kind, data, now or datetime.now(timezone.utc)))

    def _add(self, key: bytes, name: str, kind: str, data: bytes, now: datetime) -> DocumentEntry:
        use = self.use()
        if use.count + 1 > MAX_DOCUMENTS or use.total_bytes + len(data) > MAX_TOTAL_BYTES:
            raise SafeFull()
        document_id = os.urandom(16).hex()
        entry = DocumentEntry(id=document_id, name=(name.strip() or "photo")[:MAX_NAME_CHARS], type=kind,
                              size=len(data), added=now.replace(microsecond=0))
        description = json.dumps({"name": entry.name, "type": kind, "size": len(data),
                                  "added": entry.added.isoformat()}).encode()
        sealed_description = seal_bytes(key, description, context=_context(document_id, "about"))
        sealed = b"".join([_MAGIC, len(sealed_description).to_bytes(4, "big"), sealed_description,
                           seal_bytes(key, data, context=_context(document_id, "photo"))])
        self._write(self._path(document_id), sealed)
        log.info("a document was added to the safe (%d KB)", len(data) // 1024)
        return entry

    def _write(self, path: Path, sealed: bytes) -> None:
        folder = path.parent
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
            if shutil.disk_usage(folder).free < len(sealed) + MIN_FREE_BYTES:
                raise NoRoom()
            descriptor, name = tempfile.mkstemp(prefix=".", suffix=".part", dir=folder)  # 0600
        except OSError as error:
            raise NoRoom() from error
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(sealed)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(name, path)
            _sync_folder(folder)
        except OSError as error:
            Path(name).unlink(missing_ok=True)
            if error.errno in _NO_ROOM:
                raise NoRoom() from error
            raise

    def delete(self, document_id: str) -> None:
        """Remove one document (overwritten first). Raises DocumentMissing."""
        path = self._path(document_id)
        if not path.exists():
            raise DocumentMissing(document_id)
        self._guard(lambda: overwrite_and_remove(path))
        log.info("a document was deleted from the safe")

    def remove_leftovers(self) -> None:
        """Sealed halves a save killed mid-write left (`.*.part`): never a listed document."""
        if self.folder is None or not self.folder.is_dir():
            return
        for leftover in self.folder.glob(".*.part"):
            try:
                overwrite_and_remove(leftover)
            except OSError:
                log.warning("a half-saved document could not be removed")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
