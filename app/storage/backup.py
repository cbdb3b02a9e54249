"""A copy that survives a lost phone: the person's saved things in one encrypted file.

The guidance note tells people to leave copies of their documents with family. The file
holds the important numbers, the countries, role and language, and the saved articles,
sealed with AES-256-GCM under a key derived by Argon2id from a passphrase the person
chooses (never from the phone's keys: the file must open on a new phone). It is JSON:

    {"format": "safe-journey-backup", "version": 1,
     "kdf": {"name": "argon2id", "salt", "time_cost", "memory_kib", "parallelism"},
     "check": ..., "nonce": ..., "ciphertext": ..., "digest": ...}   (bytes in standard base64)

Everything but the ciphertext (and the digest) is bound in as associated data. `digest`
is a plain SHA-256 of the rest: a file damaged on its way is named damaged before any
passphrase is tried. `check` is a hash of the second half of the derived bytes: it tells a
wrong passphrase (check differs) from a file changed on purpose (check matches, the
ciphertext does not open). Restoring opens and checks the
whole file first, then writes everything in one transaction: a wrong passphrase or a
damaged file changes nothing.
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
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.exc import SQLAlchemyError

from app.storage.user_store import UserStore

log = logging.getLogger(__name__)

_FORMAT_NAME = "safe-journey-backup"
VERSION = 1
MIN_PASSPHRASE_CHARS = 10
MAX_FILE_BYTES = 20_000_000  # room for the document safe's photos later; refused above it
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


def seal_backup(contents: dict, passphrase: str) -> bytes:
    """The file's bytes. Raises PassphraseTooShort."""
    if len(passphrase.strip()) < MIN_PASSPHRASE_CHARS:
        raise PassphraseTooShort()
    kdf = {"salt": os.urandom(_SALT_BYTES), "time_cost": ARGON2_TIME_COST, "memory_kib": ARGON2_MEMORY_KIB,
           "parallelism": ARGON2_PARALLELISM}
    key, check = _derive(passphrase, kdf)
    nonce = os.urandom(_NONCE_BYTES)
    header = {"format": _FORMAT_NAME, "version": VERSION, "check": _b64(check), "nonce": _b64(nonce),
              "kdf": {"name": "argon2id", **kdf, "salt": _b64(kdf["salt"])}}
    plaintext = json.dumps(contents, ensure_ascii=False).encode()
    ciphertext = AESGCM(key).encrypt(nonce, plaintext, _associated_data(header))
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


def open_backup(data: bytes, passphrase: str) -> dict:
    """The contents. Raises WrongPassphrase, BackupDamaged, BackupTooNew."""
    header, kdf, ciphertext = _header(data)
    key, check = _derive(passphrase, kdf)
    if not hmac.compare_digest(check, _unb64(header.get("check"))):
        raise WrongPassphrase()
    try:
        plaintext = AESGCM(key).decrypt(_unb64(header.get("nonce")), ciphertext, _associated_data(header))
        contents = json.loads(plaintext)
    except (InvalidTag, ValueError):
        raise BackupDamaged("contents do not open") from None
    if not (isinstance(contents, dict) and isinstance(contents.get("settings"), dict)
            and isinstance(contents.get("bookmarks"), list)
            and all(isinstance(b, str) for b in contents["bookmarks"])):
        raise BackupDamaged("contents")
    return contents


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


def export_bytes(user: UserStore, passphrase: str) -> bytes:
    """The backup of everything the person saved. Raises BackupLocked, PassphraseTooShort."""
    if user.locked:
        raise BackupLocked()
    settings, bookmarks = user.everything()
    data = seal_backup({"settings": settings, "bookmarks": bookmarks}, passphrase)
    log.info("backup made: %d settings, %d saved articles", len(settings), len(bookmarks))
    return data


def export_backup(user: UserStore, path: Path, passphrase: str) -> None:
    """Write the backup to `path`. Raises BackupProblem."""
    data = export_bytes(user, passphrase)
    try:
        _write_private(path, data)
    except OSError as error:
        log.warning("backup could not be written (%s)", type(error).__name__)
        raise CannotSaveBackup() from error


def restore_bytes(user: UserStore, data: bytes, passphrase: str) -> None:
    """Put a backup's things into this phone's data (the backup's values win). The whole
    file is opened and checked before anything is written. Raises BackupProblem."""
    if len(data) > MAX_FILE_BYTES:
        raise BackupDamaged("too large")
    contents = open_backup(data, passphrase)
    if user.locked:
        raise BackupLocked()
    if user.in_memory:
        raise CannotSaveBackup()
    settings, bookmarks = contents["settings"], contents["bookmarks"]
    try:
        user.put_all(settings, bookmarks)
    except (OSError, SQLAlchemyError) as error:  # one transaction: nothing of it was kept
        log.warning("backup could not be restored (%s)", type(error).__name__)
        raise CannotSaveBackup() from error
    log.info("backup restored: %d settings, %d saved articles", len(settings), len(bookmarks))


def restore_backup(user: UserStore, path: Path, passphrase: str) -> None:
    """restore_bytes, from a file. Raises BackupProblem."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise BackupDamaged(type(error).__name__) from None
    restore_bytes(user, data, passphrase)
