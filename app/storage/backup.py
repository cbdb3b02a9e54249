"""A copy that survives a lost phone: the person's saved things in one encrypted file.

The guidance note tells people to leave copies of their documents with family. The file
holds the important numbers, the countries, role and language, the saved articles and the
document safe's photos (up to MAX_BACKUP_DOCUMENT_BYTES of them, the newest first), sealed
with AES-256-GCM under a key derived by Argon2id from a passphrase the person
chooses (never from the phone's keys: the file must open on a new phone). It is JSON:

    {"format": "safe-journey-backup", "version": 2,
     "kdf": {"name": "argon2id", "salt", "time_cost", "memory_kib", "parallelism"},
     "check": ..., "nonce": ..., "ciphertext": ..., "digest": ...}   (bytes in standard base64)

What is sealed depends on the version (`_READERS`): version 1 is the JSON of the settings
and bookmarks; version 2 is

    length of the JSON (4 bytes, big-endian) | JSON | the documents' bytes, one after another

where the JSON also lists each document (name, type, day added, size) in that order: the
photos travel as raw bytes, not base64 inside base64.

Everything but the ciphertext (and the digest) is bound in as associated data. `digest`
is a plain SHA-256 of the rest: a file damaged on its way is named damaged before any
passphrase is tried. `check` is a hash of the second half of the derived bytes: it tells a
wrong passphrase (check differs) from a file changed on purpose (check matches, the
ciphertext does not open). Restoring opens and checks the
whole file first (and that its documents fit in the safe), then adds the documents through
the safe and writes the settings in one transaction; if either fails, the documents it
added are removed again: a wrong passphrase, a damaged file or a full safe changes nothing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.exc import SQLAlchemyError

from app.storage.documents import (
    MAX_DOCUMENT_BYTES,
    MAX_DOCUMENTS,
    MAX_TOTAL_BYTES,
    DocumentProblem,
    DocumentSafe,
    NoRoom,
    SafeFull,
    photo_type,
)
from app.storage.user_store import UserStore

log = logging.getLogger(__name__)

_FORMAT_NAME = "safe-journey-backup"
VERSION = 2
MIN_PASSPHRASE_CHARS = 10
# The file crosses the browser build's websocket (64 MiB, app/ui.py) whole and is held in
# memory a few times over while sealed: 40 MiB of photos is 56 MiB once in base64.
MAX_BACKUP_DOCUMENT_BYTES = 40 * 1024 * 1024
MAX_FILE_BYTES = 60 * 1024 * 1024  # refused above it
# Argon2id cost (stored in the file, so it can be raised later); see BENCHMARKS.md.
ARGON2_TIME_COST = 3
ARGON2_MEMORY_KIB = 64 * 1024
ARGON2_PARALLELISM = 1
_MAX_MEMORY_KIB = 1024 * 1024  # a file asking for more is not ours: a phone must not run out of memory
_MAX_TIME_COST = 16
_SALT_BYTES, _NONCE_BYTES, _KEY_BYTES = 16, 12, 32


class BackupProblem(Exception):
    """Why a backup could not be made or restored (the UI picks the words)."""


class WrongPassphrase(BackupProblem):
    """The passphrase does not open this backup. Nothing was changed."""


class BackupDamaged(BackupProblem):
    """Not a backup of this app, or changed or cut short since it was made. Nothing was changed."""


class BackupTooNew(BackupProblem):
    """Made by a newer version of the app. Nothing was changed."""


class PassphraseTooShort(BackupProblem):
    """Shorter than MIN_PASSPHRASE_CHARS."""


class BackupLocked(BackupProblem):
    """The app lock is on and the PIN was not given: the personal values cannot be read or written."""


class BackupWontFit(BackupProblem):
    """The backup's documents, with those already here, pass the safe's limits. Nothing was changed."""


class CannotSaveBackup(BackupProblem):
    """The file (or, on restore, the user database) cannot be written here."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise BackupDamaged("not base64 text")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise BackupDamaged("not base64") from None


def _normalized(passphrase: str) -> bytes:
    # The same words typed on another phone's keyboard may be composed differently.
    return unicodedata.normalize("NFC", passphrase).encode()


def _derive(passphrase: str, kdf: dict) -> tuple[bytes, bytes]:
    """(the key that seals the contents, the check value of the passphrase)."""
    from argon2.low_level import Type, hash_secret_raw

    derived = hash_secret_raw(_normalized(passphrase), kdf["salt"], time_cost=kdf["time_cost"],
                              memory_cost=kdf["memory_kib"], parallelism=kdf["parallelism"],
                              hash_len=2 * _KEY_BYTES, type=Type.ID)
    return derived[:_KEY_BYTES], hashlib.sha256(derived[_KEY_BYTES:]).digest()


def _associated_data(header: dict) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode()


# One document of the safe as a backup carries it.
@dataclass(frozen=True)
class BackedUpDocument:
    name: str
    type: str
    added: datetime
    data: bytes


# A backup just made, and the documents that did not fit in it (their names, newest first).
@dataclass(frozen=True)
class MadeBackup:
    data: bytes
    left_out: list[str]


def _pack(contents: dict) -> bytes:
    """Version 2's sealed part: the JSON, then the documents' raw bytes in the order it lists them."""
    documents: list[BackedUpDocument] = contents.get("documents", [])
    listing = {"settings": contents["settings"], "bookmarks": contents["bookmarks"],
               "documents": [{"name": d.name, "type": d.type, "added": d.added.isoformat(), "size": len(d.data)}
                             for d in documents]}
    head = json.dumps(listing, ensure_ascii=False).encode()
    return b"".join([len(head).to_bytes(4, "big"), head, *(d.data for d in documents)])


def seal_backup(contents: dict, passphrase: str) -> bytes:
    """The file's bytes (`contents`: settings, bookmarks, documents). Raises PassphraseTooShort."""
    if len(passphrase.strip()) < MIN_PASSPHRASE_CHARS:
        raise PassphraseTooShort()
    kdf = {"salt": os.urandom(_SALT_BYTES), "time_cost": ARGON2_TIME_COST, "memory_kib": ARGON2_MEMORY_KIB,
           "parallelism": ARGON2_PARALLELISM}
    key, check = _derive(passphrase, kdf)
    nonce = os.urandom(_NONCE_BYTES)
    header = {"format": _FORMAT_NAME, "version": VERSION, "check": _b64(check), "nonce": _b64(nonce),
              "kdf": {"name": "argon2id", **kdf, "salt": _b64(kdf["salt"])}}
    ciphertext = AESGCM(key).encrypt(nonce, _pack(contents), _associated_data(header))
    document = {**header, "ciphertext": _b64(ciphertext)}
    return json.dumps({**document, "digest": _digest(document)}).encode()


def _digest(document: dict) -> str:
    """A plain hash of the rest: a file damaged on its way (cut short, a byte changed) is
    named damaged before any passphrase is tried, never taken for a wrong passphrase."""
    return hashlib.sha256(_associated_data(document)).hexdigest()


def _header(data: bytes) -> tuple[dict, dict, bytes]:
    """(header, its key derivation settings, ciphertext). Raises BackupDamaged, BackupTooNew."""
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise BackupDamaged("not JSON") from None
    if not isinstance(document, dict) or document.get("format") != _FORMAT_NAME:
        raise BackupDamaged("not a backup of this app")
    version = document.get("version")
    if not isinstance(version, int):
        raise BackupDamaged("no version")
    if version > VERSION:
        raise BackupTooNew(str(version))
    digest = document.pop("digest", None)
    if not isinstance(digest, str) or not hmac.compare_digest(digest, _digest(document)):
        raise BackupDamaged("digest")
    header = {k: v for k, v in document.items() if k != "ciphertext"}
    stated = header.get("kdf")
    try:
        if stated["name"] != "argon2id":
            raise BackupDamaged("unknown key derivation")
        kdf = {"salt": _unb64(stated["salt"]), "time_cost": int(stated["time_cost"]),
               "memory_kib": int(stated["memory_kib"]), "parallelism": int(stated["parallelism"])}
    except (KeyError, TypeError, ValueError):
        raise BackupDamaged("key derivation settings") from None
    if not (1 <= kdf["time_cost"] <= _MAX_TIME_COST and 8 <= kdf["memory_kib"] <= _MAX_MEMORY_KIB
            and 1 <= kdf["parallelism"] <= 8 and len(kdf["salt"]) >= 8):
        raise BackupDamaged("key derivation settings out of range")
    return header, kdf, _unb64(document.get("ciphertext"))


def _json_contents(plaintext: bytes) -> dict:
    """The JSON part: settings and bookmarks checked (and, in version 2, the documents' list)."""
    try:
        contents = json.loads(plaintext)
    except (ValueError, UnicodeDecodeError):
        raise BackupDamaged("contents") from None
    if not (isinstance(contents, dict) and isinstance(contents.get("settings"), dict)
            and isinstance(contents.get("bookmarks"), list)
            and all(isinstance(b, str) for b in contents["bookmarks"])):
        raise BackupDamaged("contents")
    return contents


def _read_version_1(plaintext: bytes) -> dict:
    """The JSON of the settings and bookmarks (a version 1 file holds no documents)."""
    return {**_json_contents(plaintext), "documents": []}


def _read_version_2(plaintext: bytes) -> dict:
    length = int.from_bytes(plaintext[:4], "big")
    contents = _json_contents(plaintext[4:4 + length])
    listing = contents.get("documents")
    if not isinstance(listing, list):
        raise BackupDamaged("documents")
    offset, documents = 4 + length, []
    try:
        for item in listing:
            size, added = int(item["size"]), datetime.fromisoformat(item["added"])
            if size < 0 or added.tzinfo is None or not isinstance(item["name"], str):
                raise ValueError("document")
            documents.append(BackedUpDocument(name=item["name"], type=str(item["type"]), added=added,
                                              data=plaintext[offset:offset + size]))
            offset += size
    except (KeyError, TypeError, ValueError):
        raise BackupDamaged("documents") from None
    if offset != len(plaintext):
        raise BackupDamaged("documents' sizes")
    return {**contents, "documents": documents}


_READERS = {1: _read_version_1, 2: _read_version_2}


def open_backup(data: bytes, passphrase: str) -> dict:
    """The contents: settings, bookmarks, documents (BackedUpDocument). Raises WrongPassphrase,
    BackupDamaged, BackupTooNew."""
    header, kdf, ciphertext = _header(data)
    try:
        read = _READERS[header["version"]]
    except KeyError:
        raise BackupDamaged("unknown version") from None
    key, check = _derive(passphrase, kdf)
    if not hmac.compare_digest(check, _unb64(header.get("check"))):
        raise WrongPassphrase()
    try:
        plaintext = AESGCM(key).decrypt(_unb64(header.get("nonce")), ciphertext, _associated_data(header))
    except InvalidTag:
        raise BackupDamaged("contents do not open") from None
    return read(plaintext)


def _write_private(path: Path, data: bytes) -> None:
    """Written beside, synced, then put in place: never half a backup under the name."""
    descriptor, name = tempfile.mkstemp(prefix=path.name + ".", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:  # mkstemp makes it 0600
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def _documents_to_carry(safe: DocumentSafe, room: int) -> tuple[list[BackedUpDocument], list[str]]:
    """As many documents as fit in `room` bytes, newest first, and the names of the others.
    One the safe cannot open is left out: the safe lists it as "cannot be opened"."""
    carried: list[BackedUpDocument] = []
    left_out: list[str] = []
    used = 0
    for entry in safe.list():
        if entry.damaged or entry.name is None or entry.type is None or entry.added is None:
            continue
        if used + entry.size > room:
            left_out.append(entry.name)
            continue
        try:
            _, photo = safe.open(entry.id)
        except DocumentProblem:
            continue
        carried.append(BackedUpDocument(name=entry.name, type=entry.type, added=entry.added, data=photo))
        used += len(photo)
    return carried, left_out


def export_bytes(user: UserStore, passphrase: str, *, document_room: int = MAX_BACKUP_DOCUMENT_BYTES) -> MadeBackup:
    """The backup of everything the person saved. Raises BackupLocked, PassphraseTooShort."""
    if user.locked:
        raise BackupLocked()
    if len(passphrase.strip()) < MIN_PASSPHRASE_CHARS:
        raise PassphraseTooShort()  # before opening every photo
    settings, bookmarks = user.everything()
    documents, left_out = _documents_to_carry(user.documents, document_room)
    data = seal_backup({"settings": settings, "bookmarks": bookmarks, "documents": documents}, passphrase)
    log.info("backup made: %d settings, %d saved articles, %d documents, %d left out",
             len(settings), len(bookmarks), len(documents), len(left_out))
    return MadeBackup(data=data, left_out=left_out)


def export_backup(user: UserStore, path: Path, passphrase: str) -> MadeBackup:
    """Write the backup to `path`. Raises BackupProblem."""
    made = export_bytes(user, passphrase)
    try:
        _write_private(path, made.data)
    except OSError as error:
        log.warning("backup could not be written (%s)", type(error).__name__)
        raise CannotSaveBackup() from error
    return made


def _documents_to_add(safe: DocumentSafe, documents: list[BackedUpDocument]) -> list[BackedUpDocument]:
    """The backup's documents this safe does not hold yet (a backup restored twice adds nothing
    twice), checked against the safe's rules and limits before any is written."""
    have = {(e.name, e.type, e.added, e.size) for e in safe.list() if not e.damaged}
    new = [d for d in documents if (d.name, d.type, d.added, len(d.data)) not in have]
    if any(len(d.data) > MAX_DOCUMENT_BYTES or photo_type(d.data) is None for d in new):
        raise BackupDamaged("a document the safe would not take")
    use = safe.use()
    if use.count + len(new) > MAX_DOCUMENTS or use.total_bytes + sum(len(d.data) for d in new) > MAX_TOTAL_BYTES:
        raise BackupWontFit()
    return new


def _take_back(safe: DocumentSafe, added: list[str]) -> None:
    for document_id in added:
        try:
            safe.delete(document_id)
        except (DocumentProblem, OSError):
            log.warning("a document added by a failed restore could not be removed")


def restore_bytes(user: UserStore, data: bytes, passphrase: str) -> None:
    """Put a backup's things into this phone's data (the backup's values win; its documents are
    added to the safe). The whole file is opened and checked before anything is written; if a
    write fails, the documents already added are removed again. Raises BackupProblem."""
    if len(data) > MAX_FILE_BYTES:
        raise BackupDamaged("too large")
    contents = open_backup(data, passphrase)
    if user.locked:
        raise BackupLocked()
    if user.in_memory:
        raise CannotSaveBackup()
    safe = user.documents
    settings, bookmarks = contents["settings"], contents["bookmarks"]
    documents = _documents_to_add(safe, contents["documents"])
    added: list[str] = []
    try:
        for document in documents:
            entry = safe.add(document.name, document.data, now=document.added)
            if entry is None:  # the user data was closed meanwhile (delete everything)
                raise NoRoom()
            added.append(entry.id)
        user.put_all(settings, bookmarks)  # one transaction: nothing of it is kept if it fails
    except BaseException as error:
        _take_back(safe, added)
        if isinstance(error, (DocumentProblem, OSError, SQLAlchemyError)):
            log.warning("backup could not be restored (%s)", type(error).__name__)
            raise (BackupWontFit if isinstance(error, SafeFull) else CannotSaveBackup)() from error
        raise
    log.info("backup restored: %d settings, %d saved articles, %d documents",
             len(settings), len(bookmarks), len(documents))


def restore_backup(user: UserStore, path: Path, passphrase: str) -> None:
    """restore_bytes, from a file. Raises BackupProblem."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise BackupDamaged(type(error).__name__) from None
    restore_bytes(user, data, passphrase)
