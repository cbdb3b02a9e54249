"""Signing keys: one offline root key that certifies one online key.

The keys in sync_server/dev_keys/ are DEVELOPMENT keys: public, so anyone can sign with
them. They let a fresh clone build, publish and test end to end. A release replaces the
root the app trusts with one made at the key ceremony in KEYS.md, and loading a
development key for any role is refused when SAFE_JOURNEY_ENV=production.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from securesystemslib.signer import CryptoSigner, SSlibKey

from sync_server.paths import DEV_KEY_DIR

ROOT_KEY_FILE = "root.pem"
ONLINE_KEY_FILE = "online.pem"
PRODUCTION_ENV = "SAFE_JOURNEY_ENV"


def _signer(private_key: Ed25519PrivateKey) -> CryptoSigner:
    return CryptoSigner(private_key, SSlibKey.from_crypto(private_key.public_key()))


def _load(path: Path) -> CryptoSigner:
    private_key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(private_key, Ed25519PrivateKey):
        raise ValueError(f"{path.name} is not an Ed25519 key")
    return _signer(private_key)


def _create(path: Path) -> CryptoSigner:
    private_key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    return _signer(private_key)


# The two signers a publisher needs; a publishing server holds only the online one.
@dataclass(frozen=True)
class SigningKeys:
    root: CryptoSigner | None
    online: CryptoSigner


def make_keys(key_dir: Path) -> SigningKeys:
    """The key ceremony's first step: a new root key and a new online key in `key_dir`."""
    return SigningKeys(root=_create(key_dir / ROOT_KEY_FILE), online=_create(key_dir / ONLINE_KEY_FILE))


def is_production() -> bool:
    """SAFE_JOURNEY_ENV: "production", or unset / "development"; anything else is refused,
    so a typo such as "prod" never quietly signs with the development keys."""
    value = os.environ.get(PRODUCTION_ENV, "").strip().lower()
    if value not in ("", "development", "production"):
        raise SystemExit(f"{PRODUCTION_ENV} must be 'production' or 'development', not {value!r}")
    return value == "production"


@cache
def development_public_keys() -> frozenset[str]:
    """The public halves of the development keys, whatever role they are used for.

    Compared by value, never by key id: a root may name a key under any id it likes."""
    return frozenset(_load(DEV_KEY_DIR / name).public_key.keyval["public"] for name in (ROOT_KEY_FILE, ONLINE_KEY_FILE))


def load_keys(key_dir: Path) -> SigningKeys:
    """The keys in `key_dir` (root.pem is optional: only new roots need it). Never creates keys:
    a mistyped folder must not sign with a key no phone trusts. In production a development
    key is refused in every role (a public root key would let anyone make a root)."""
    online_file = key_dir / ONLINE_KEY_FILE
    if not online_file.exists():
        raise SystemExit(f"no {ONLINE_KEY_FILE} in {key_dir}: make keys with "
                         f"`python -m sync_server make-keys --keys DIR` (see KEYS.md)")
    root_file = key_dir / ROOT_KEY_FILE
    keys = SigningKeys(root=_load(root_file) if root_file.exists() else None, online=_load(online_file))
    if is_production():
        development = [name for name, signer in (("root", keys.root), ("online", keys.online))
                       if signer is not None and signer.public_key.keyval["public"] in development_public_keys()]
        if development:
            raise SystemExit(f"refusing to sign production content with the public development "
                             f"{' and '.join(development)} key (see KEYS.md)")
    return keys


def generate_keys() -> SigningKeys:
    """Fresh keys kept only in memory (tests)."""
    return SigningKeys(root=_signer(Ed25519PrivateKey.generate()), online=_signer(Ed25519PrivateKey.generate()))


def make_online_key(path: Path) -> CryptoSigner:
    """A new online key (rotation), written to `path`, which must not exist yet."""
    return _create(path)
