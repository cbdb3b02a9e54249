"""Request keys: X25519 key pairs (PyNaCl sealed boxes) that open what phones seal.

The private keys live in the server's data folder, `D/request-keys/<key_id>.key` (0600,
base64 of the raw 32 bytes), never in the repository or a log. Every key ever made stays
there: a phone may have sealed a request to an older public key, and notes sealed to an
older key stay readable. The public half ships to phones inside signed content,
`content/request_keys.yaml`; the newest entry there whose private key the server holds is
the current one (notes are sealed to it).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

from sync_server.paths import request_keys_dir


class BadSeal(Exception):
    """A sealed box that does not open: unknown key id, not base64, or not sealed to that key.
    `key_id` names the key it was sealed to (when known); `missing`: this server lacks that key."""

    def __init__(self, key_id: str | None = None, *, missing: bool = False) -> None:
        super().__init__(key_id)
        self.key_id = key_id
        self.missing = missing


class NoRequestKey(Exception):
    """The server holds no private key that the content names (nothing can be sealed for notes)."""


def key_id(public_key: bytes) -> str:
    """First 16 hex characters of the SHA-256 of the raw 32-byte public key."""
    return hashlib.sha256(public_key).hexdigest()[:16]


# One line of content/request_keys.yaml.
@dataclass(frozen=True)
class PublicEntry:
    key_id: str
    public_key: str  # base64 of the raw 32 bytes
    since: date

    def to_yaml(self) -> str:
        return yaml.safe_dump([{"key_id": self.key_id, "public_key": self.public_key, "from": self.since}],
                              sort_keys=False)


def new_request_key(data: Path, *, today: date | None = None) -> PublicEntry:
    """Make a key pair: the private half in D/request-keys/ (0600, never overwritten)."""
    private = PrivateKey.generate()
    raw_public = bytes(private.public_key)
    entry = PublicEntry(key_id(raw_public), base64.b64encode(raw_public).decode(), today or date.today())
    folder = request_keys_dir(data)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(folder / f"{entry.key_id}.key", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(base64.b64encode(bytes(private)).decode() + "\n")
    return entry


def read_public_entries(request_keys_file: Path) -> list[PublicEntry]:
    """content/request_keys.yaml, oldest first."""
    entries = yaml.safe_load(request_keys_file.read_text(encoding="utf-8")) or []
    return sorted((PublicEntry(str(e["key_id"]), str(e["public_key"]), e["from"]) for e in entries),
                  key=lambda entry: entry.since)


# Every private request key the server holds, and which one new notes are sealed to.
@dataclass(frozen=True)
class Keyring:
    private_keys: dict[str, PrivateKey]
    current_id: str

    def open(self, sealed_key_id: str, sealed: bytes) -> bytes:
        """The plaintext of a box sealed to `sealed_key_id` (kept in memory by the caller only)."""
        private = self.private_keys.get(sealed_key_id)
        if private is None:
            raise BadSeal(sealed_key_id, missing=True)
        try:
            return SealedBox(private).decrypt(sealed)
        except CryptoError:
            raise BadSeal(sealed_key_id) from None

    def seal(self, plaintext: bytes) -> tuple[str, bytes]:
        """Seal to the current public key: (key id, ciphertext)."""
        public: PublicKey = self.private_keys[self.current_id].public_key
        return self.current_id, SealedBox(public).encrypt(plaintext)


def decode_sealed(text: str) -> bytes:
    """Standard padded base64, as the phone sends it; BadSeal when it is not."""
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise BadSeal() from None


def load_keyring(data: Path, request_keys_file: Path) -> Keyring:
    """Read every private key in D/request-keys/; the current one is the newest the content names."""
    keys = {}
    for path in sorted(request_keys_dir(data).glob("*.key")):
        private = PrivateKey(base64.b64decode(path.read_text().strip()))
        keys[key_id(bytes(private.public_key))] = private
    named = [entry.key_id for entry in read_public_entries(request_keys_file) if entry.key_id in keys]
    if not named:
        raise NoRequestKey()
    return Keyring(keys, named[-1])


_current: Keyring | None = None


def use_keyring(keyring: Keyring) -> None:
    """The serving process's keyring, set once at start (the store's functions default to it)."""
    global _current
    _current = keyring


def current_keyring() -> Keyring:
    if _current is None:
        raise NoRequestKey()
    return _current
