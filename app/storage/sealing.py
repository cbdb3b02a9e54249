"""Authenticated encryption of the person's values before they touch the disk.

A sealed value is text: `sj1.<tier>.<base64 of nonce + AES-256-GCM ciphertext>`. The
tier letter says which key sealed it (d: the device key, p: the personal key), and the
value's name is bound in as associated data, so a value moved to another name or row
does not open. Nothing here knows where keys live (see app/storage/keys.py).
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "sj1."
KEY_BYTES = 32
_NONCE_BYTES = 12


class CannotOpen(Exception):
    """A sealed value that this key does not open (wrong key, or the bytes were changed)."""


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def is_sealed(value: str) -> bool:
    return value.startswith(PREFIX)


def tier_of(token: str) -> str:
    """The tier letter of a sealed value ("d" or "p"). Raises CannotOpen for a value cut short."""
    tier = token[len(PREFIX):len(PREFIX) + 1]
    if not tier:
        raise CannotOpen("cut short")
    return tier


def seal(key: bytes, plaintext: bytes, *, tier: str, context: str) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, plaintext, f"{tier}:{context}".encode())
    return f"{PREFIX}{tier}.{base64.urlsafe_b64encode(nonce + sealed).decode('ascii')}"


def open_sealed(key: bytes, token: str, *, context: str) -> bytes:
    tier = tier_of(token)
    try:
        raw = base64.urlsafe_b64decode(token[len(PREFIX) + 2:])
        return AESGCM(key).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], f"{tier}:{context}".encode())
    except (InvalidTag, ValueError, IndexError):
        raise CannotOpen(context) from None


def seal_bytes(key: bytes, plaintext: bytes, *, context: str) -> bytes:
    """Binary form, for a key wrapped by another (app/storage/keys.py)."""
    nonce = os.urandom(_NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, context.encode())


def open_bytes(key: bytes, sealed: bytes, *, context: str) -> bytes:
    try:
        return AESGCM(key).decrypt(sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], context.encode())
    except (InvalidTag, ValueError):
        raise CannotOpen(context) from None
