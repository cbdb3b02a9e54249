"""Where the keys that seal the person's data live: outside the database they open.

Two keys, made at random on first use:
- the device key seals what the app needs before any PIN (language, the country whose
  emergency numbers it shows, text size, data use, the count of wrong PINs);
- the personal key seals the rest (important numbers, bookmarks, role, country of origin).
With the app lock on, the personal key is stored only wrapped: sealed with a key derived
from the PIN by Argon2id. A wrong PIN fails that seal's check and nothing else: the
database is never touched by an unlock.

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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from app.storage.sealing import KEY_BYTES, CannotOpen, new_key, open_bytes, seal_bytes

log = logging.getLogger(__name__)

KEY_FILE_FORMAT = 1
# Argon2id cost, stored beside the wrapped key so it can be raised later; see BENCHMARKS.md.
ARGON2_TIME_COST = 3
ARGON2_MEMORY_KIB = 32 * 1024
ARGON2_PARALLELISM = 1
_SALT_BYTES = 16
_WRAP_CONTEXT = "personal-key"


class KeyFileDamaged(Exception):
    """The stored keys exist but cannot be read: never replaced, since the data needs them."""


class WrongPin(Exception):
    """The PIN does not open the personal key. Never a sign that anything is damaged."""


# The keys the user database is sealed with; `personal` is None while the app is locked.
@dataclass(frozen=True)
class Keys:
    device: bytes
    personal: bytes | None

    @classmethod
    def new(cls) -> "Keys":
        return cls(device=new_key(), personal=new_key())


# The personal key sealed with a key derived from the PIN, and how it was derived.
@dataclass(frozen=True)
class WrappedKey:
    salt: bytes
    time_cost: int
    memory_kib: int
    parallelism: int
    sealed: bytes


# What the key store holds: the personal key either as it is or wrapped (the lock is on).
@dataclass(frozen=True)
class StoredKeys:
    device: bytes
    personal: bytes | None = None
    wrapped: WrappedKey | None = None

    @property
    def lock_on(self) -> bool:
        return self.wrapped is not None

    @classmethod
    def new(cls) -> "StoredKeys":
        keys = Keys.new()
        return cls(device=keys.device, personal=keys.personal)

    def keys(self) -> Keys:
        """The keys usable without a PIN (the personal one only when the lock is off)."""
        return Keys(device=self.device, personal=self.personal)


class KeyStore(Protocol):
    def read(self) -> bytes | None: ...  # None: nothing stored yet

    def write(self, data: bytes) -> None: ...

    def create(self, data: bytes) -> bytes: ...  # write unless something is stored; what is stored

    def erase(self) -> None: ...


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

    def erase(self) -> None:
        """Overwrite, then remove. Flash storage may keep old blocks: the real protection is
        that without these bytes the sealed data is noise."""
        _shred(self.path)

    def remove_leftovers(self) -> None:
        """Remove what a launch killed mid-write left beside the key file (`*.new`). One may
        hold the personal key unwrapped (the lock was being turned off) next to a key file
        that says the lock is on. Another launch writing at this very moment fails safely:
        its keys are read back, or the person is told the PIN could not be saved."""
        for leftover in self.path.parent.glob(f"{self.path.name}.*.new"):
            try:
                _shred(leftover)
            except OSError:  # never in the way of opening the data; delete everything tries again
                log.warning("a half-written key file could not be removed")


def _shred(path: Path) -> None:
    try:
        size = path.stat().st_size
        with open(path, "r+b") as handle:
            handle.write(os.urandom(size))
            handle.flush()
            os.fsync(handle.fileno())
    except FileNotFoundError:
        return
    except OSError:
        log.warning("key file could not be overwritten before removal", exc_info=True)
    path.unlink(missing_ok=True)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


def encode_keys(stored: StoredKeys) -> bytes:
    document: dict = {"format": KEY_FILE_FORMAT, "device": _b64(stored.device)}
    if stored.wrapped is not None:
        w = stored.wrapped
        document["wrapped_personal"] = {"kdf": "argon2id", "salt": _b64(w.salt), "time_cost": w.time_cost,
                                        "memory_kib": w.memory_kib, "parallelism": w.parallelism,
                                        "sealed": _b64(w.sealed)}
    else:
        document["personal"] = _b64(stored.personal or b"")
    return json.dumps(document).encode()


def decode_keys(data: bytes) -> StoredKeys:
    try:
        document = json.loads(data)
        if document["format"] != KEY_FILE_FORMAT:
            raise KeyFileDamaged(f"unknown key file format {document['format']!r}")
        device = _unb64(document["device"])
        if "wrapped_personal" in document:
            w = document["wrapped_personal"]
            if w["kdf"] != "argon2id":
                raise KeyFileDamaged(f"unknown key derivation {w['kdf']!r}")
            stored = StoredKeys(device=device, wrapped=WrappedKey(
                salt=_unb64(w["salt"]), time_cost=int(w["time_cost"]), memory_kib=int(w["memory_kib"]),
                parallelism=int(w["parallelism"]), sealed=_unb64(w["sealed"])))
        else:
            stored = StoredKeys(device=device, personal=_unb64(document["personal"]))
    except (ValueError, KeyError, TypeError) as error:
        raise KeyFileDamaged(type(error).__name__) from None
    if len(stored.device) != KEY_BYTES or (stored.personal is not None and len(stored.personal) != KEY_BYTES):
        raise KeyFileDamaged("wrong key length")
    return stored


def load_keys(store: KeyStore) -> StoredKeys | None:
    """The stored keys; None when none are stored yet. Raises KeyFileDamaged."""
    data = store.read()
    return None if data is None else decode_keys(data)


def create_keys(store: KeyStore) -> StoredKeys:
    """New keys, or those another launch stored a moment before. Raises KeyFileDamaged."""
    return decode_keys(store.create(encode_keys(StoredKeys.new())))


def _derive(pin: str, salt: bytes, *, time_cost: int, memory_kib: int, parallelism: int) -> bytes:
    from argon2.low_level import Type, hash_secret_raw  # loaded only when a PIN is set or typed

    return hash_secret_raw(pin.encode(), salt, time_cost=time_cost, memory_cost=memory_kib,
                           parallelism=parallelism, hash_len=KEY_BYTES, type=Type.ID)


def with_pin(stored: StoredKeys, personal: bytes, pin: str) -> StoredKeys:
    """The same keys, with the personal key kept only wrapped by `pin`."""
    salt = os.urandom(_SALT_BYTES)
    wrapping = _derive(pin, salt, time_cost=ARGON2_TIME_COST, memory_kib=ARGON2_MEMORY_KIB,
                       parallelism=ARGON2_PARALLELISM)
    wrapped = WrappedKey(salt=salt, time_cost=ARGON2_TIME_COST, memory_kib=ARGON2_MEMORY_KIB,
                         parallelism=ARGON2_PARALLELISM, sealed=seal_bytes(wrapping, personal, context=_WRAP_CONTEXT))
    return StoredKeys(device=stored.device, wrapped=wrapped)


def without_pin(stored: StoredKeys, personal: bytes) -> StoredKeys:
    return replace(stored, personal=personal, wrapped=None)


def unwrap(stored: StoredKeys, pin: str) -> bytes:
    """The personal key; raises WrongPin."""
    w = stored.wrapped
    if w is None:
        return stored.personal or b""
    wrapping = _derive(pin, w.salt, time_cost=w.time_cost, memory_kib=w.memory_kib, parallelism=w.parallelism)
    try:
        return open_bytes(wrapping, w.sealed, context=_WRAP_CONTEXT)
    except CannotOpen:
        raise WrongPin() from None
