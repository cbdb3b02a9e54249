"""Where the keys that seal the person's data live: outside the database they open.

Two keys, made at random on first use:
- the device key seals what the app needs before any PIN (language, the country whose
  emergency numbers it shows, text size, data use);
- the personal key seals the rest (important numbers, bookmarks, role, country of origin).
Both are kept by a KeyStore. `python -m app serve` and desktop builds keep them in a
file readable only by the app's user (0600) in the data folder. A phone build can keep
the same bytes in the platform's secure store (flet-secure-storage: Keystore/Keychain)
behind the same small interface; its web variant keeps its own key beside the data in
the browser's localStorage, which protects nothing, so it is not used there.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from app.storage.sealing import KEY_BYTES, new_key

log = logging.getLogger(__name__)

KEY_FILE_FORMAT = 1


class KeyFileDamaged(Exception):
    """The stored keys exist but cannot be read: never replaced, since the data needs them."""


# The keys one data folder's user database is sealed with.
@dataclass(frozen=True)
class Keys:
    device: bytes
    personal: bytes

    @classmethod
    def new(cls) -> "Keys":
        return cls(device=new_key(), personal=new_key())


class KeyStore(Protocol):
    def read(self) -> bytes | None: ...  # None: nothing stored yet

    def write(self, data: bytes) -> None: ...

    def create(self, data: bytes) -> bytes: ...  # write unless something is stored; what is stored


class FileKeyStore:
    """Keys in one small file, readable and writable only by the app's user."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> bytes | None:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            os.chmod(self.path, 0o600)  # a file copied or restored with a wider mode
        except OSError:
            log.warning("key file permissions could not be narrowed")
        return data

    def _written_beside(self, data: bytes) -> Path:
        """`data` in a new, synced file beside the key file, readable only by the app's user."""
        descriptor, name = tempfile.mkstemp(prefix=self.path.name + ".", suffix=".new", dir=self.path.parent)
        with os.fdopen(descriptor, "wb") as handle:  # mkstemp makes it 0600
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        return Path(name)

    def _sync_folder(self) -> None:
        """A renamed or linked file survives a power cut only once its folder is synced."""
        descriptor = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

    def write(self, data: bytes) -> None:
        temporary = self._written_beside(data)
        os.replace(temporary, self.path)
        self._sync_folder()

    def create(self, data: bytes) -> bytes:
        """Store `data` unless keys are stored already; the stored bytes either way. Two
        first launches at once end with one key file, never one replacing the other."""
        temporary = self._written_beside(data)
        try:
            os.link(temporary, self.path)  # fails when the file exists: never replaces it
        except FileExistsError:
            return self.read() or b""
        except OSError:  # a file system without hard links: created in place, still exclusively
            return self._create_in_place(data)
        finally:
            temporary.unlink(missing_ok=True)
        self._sync_folder()
        return data

    def _create_in_place(self, data: bytes) -> bytes:
        # A crash mid-write leaves a damaged key file that nothing was sealed with yet:
        # the next launch moves it aside (app/opening.py).
        try:
            descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return self.read() or b""
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        self._sync_folder()
        return data


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def encode_keys(keys: Keys) -> bytes:
    return json.dumps({"format": KEY_FILE_FORMAT, "device": _b64(keys.device),
                       "personal": _b64(keys.personal)}).encode()


def decode_keys(data: bytes) -> Keys:
    try:
        stored = json.loads(data)
        if stored["format"] != KEY_FILE_FORMAT:
            raise KeyFileDamaged(f"unknown key file format {stored['format']!r}")
        keys = Keys(device=base64.b64decode(stored["device"], validate=True),
                    personal=base64.b64decode(stored["personal"], validate=True))
    except (ValueError, KeyError, TypeError) as error:
        raise KeyFileDamaged(type(error).__name__) from None
    if len(keys.device) != KEY_BYTES or len(keys.personal) != KEY_BYTES:
        raise KeyFileDamaged("wrong key length")
    return keys


def load_keys(store: KeyStore) -> Keys | None:
    """The stored keys; None when none are stored yet. Raises KeyFileDamaged."""
    data = store.read()
    return None if data is None else decode_keys(data)


def create_keys(store: KeyStore) -> Keys:
    """New keys, or those another launch stored a moment before. Raises KeyFileDamaged."""
    return decode_keys(store.create(encode_keys(Keys.new())))
