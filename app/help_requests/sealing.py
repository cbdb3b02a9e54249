"""Seal a form for the server: in memory, before anything about it touches the disk.

A PyNaCl SealedBox to the server's current public request key (X25519): only the holder
of the private key (the server) can open it; the phone itself cannot once it is sealed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from nacl.public import PublicKey, SealedBox

from app.content.request_keys import CurrentKey


class NoRequestKey(Exception):
    """The installed content carries no request key: nothing can be sealed (nothing is saved)."""


# A form ready for the outbox: who may open it and the sealed bytes.
@dataclass(frozen=True)
class SealedForm:
    key_id: str
    sealed: bytes


def seal_form(fields: dict[str, Any], key: CurrentKey | None) -> SealedForm:
    if key is None:
        raise NoRequestKey()
    plaintext = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return SealedForm(key_id=key.key_id, sealed=SealedBox(PublicKey(key.public_key)).encrypt(plaintext))
