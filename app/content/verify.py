"""Verify a bundle folder against the trusted root, following TUF's rules.

root (chain from the trusted one) → timestamp → snapshot → targets → every item's
signed length and hash. Anything wrong raises BundleError and nothing is returned.
Expiry is reported, not refused, here: installed content must keep working offline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tuf.api.exceptions import RepositoryError
from tuf.api.metadata import Metadata, MetaFile, Root, Signed, Snapshot, Targets, Timestamp
from tuf.api.serialization import DeserializationError

from app.content.bundle_format import BUNDLE_FIELD, consistent_target_name
from app.content.errors import BundleError

SUPPORTED_FORMATS = {1}
# No single metadata file is ever this large; stops a hostile file from filling memory.
MAX_METADATA_BYTES = 16 * 1024 * 1024


# A bundle whose every byte has been checked.
@dataclass(frozen=True)
class VerifiedBundle:
    version: int
    format: int
    created_at: datetime
    expires_at: datetime
    items: dict[str, dict[str, Any]]
    metadata_files: dict[str, bytes]

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at


class _Invalid(Exception):
    pass


def _read(path: Path, limit: int) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise _Invalid(f"cannot read {path.name}: {error.strerror}") from None
    if len(data) > limit:
        raise _Invalid(f"{path.name} is larger than its allowed {limit} bytes")
    return data


def _load(data: bytes, expected: type[Signed], name: str) -> Metadata:
    metadata = Metadata.from_bytes(data)
    if not isinstance(metadata.signed, expected):
        raise _Invalid(f"{name} is not {expected.type} metadata")
    return metadata


def _checked_meta(data: bytes, meta: MetaFile, name: str) -> None:
    if meta.length is not None or meta.hashes:
        meta.verify_length_and_hashes(data)
    if meta.length is not None and len(data) != meta.length:
        raise _Invalid(f"{name} has the wrong length")


def _load_pinned(
    metadata_dir: Path, meta: MetaFile, role: type[Signed], root: Metadata[Root], files: dict[str, bytes]
) -> Metadata:
    """Load `<version>.<role>.json` as pinned by `meta`, signed by the keys root gives `role`."""
    name = f"{meta.version}.{role.type}.json"
    data = _read(metadata_dir / name, meta.length or MAX_METADATA_BYTES)
    _checked_meta(data, meta, name)
    metadata = _load(data, role, name)
    root.verify_delegate(role.type, metadata)
    if metadata.signed.version != meta.version:
        raise _Invalid(f"{name} claims version {metadata.signed.version}")
    files[f"{role.type}.json"] = data
    return metadata


def _trusted_root(metadata_dir: Path, trusted_root: bytes) -> Metadata[Root]:
    root = _load(trusted_root, Root, "trusted root")
    root.verify_delegate(Root.type, root)
    version = root.signed.version + 1
    while (metadata_dir / f"{version}.root.json").exists():
        new_root = _load(_read(metadata_dir / f"{version}.root.json", MAX_METADATA_BYTES), Root, f"{version}.root.json")
        root.verify_delegate(Root.type, new_root)  # the old keys certify the new root
        new_root.verify_delegate(Root.type, new_root)  # and the new keys sign it too
        if new_root.signed.version != version:
            raise _Invalid(f"{version}.root.json claims version {new_root.signed.version}")
        root, version = new_root, version + 1
    return root


def _verify(bundle_dir: Path, trusted_root: bytes, max_item_bytes: int) -> VerifiedBundle:
    metadata_dir = bundle_dir / "metadata"
    files: dict[str, bytes] = {}
    root = _trusted_root(metadata_dir, trusted_root)
    files["root.json"] = root.to_bytes()

    data = _read(metadata_dir / "timestamp.json", MAX_METADATA_BYTES)
    timestamp = _load(data, Timestamp, "timestamp.json")
    root.verify_delegate(Timestamp.type, timestamp)
    files["timestamp.json"] = data

    snapshot = _load_pinned(metadata_dir, timestamp.signed.snapshot_meta, Snapshot, root, files)
    targets_meta = snapshot.signed.meta.get("targets.json")
    if targets_meta is None:
        raise _Invalid("snapshot does not list targets.json")
    targets = _load_pinned(metadata_dir, targets_meta, Targets, root, files)

    bundle_info = targets.signed.unrecognized_fields.get(BUNDLE_FIELD) or {}
    format_version = bundle_info.get("format")
    if format_version not in SUPPORTED_FORMATS:
        raise _Invalid(f"bundle format {format_version!r} is not one this app can read")

    items: dict[str, dict[str, Any]] = {}
    for path, target in targets.signed.targets.items():
        if target.length > max_item_bytes:
            raise _Invalid(f"{path} is larger than the {max_item_bytes} bytes an item may be")
        item_file = bundle_dir / "targets" / consistent_target_name(path, target.hashes.get("sha256", ""))
        item_data = _read(item_file, target.length)
        target.verify_length_and_hashes(item_data)
        items[path] = json.loads(item_data)

    expires_at = min(m.signed.expires for m in (root, timestamp, snapshot, targets))
    return VerifiedBundle(
        version=timestamp.signed.version,
        format=format_version,
        created_at=datetime.fromisoformat(bundle_info["created"]),
        expires_at=expires_at,
        items=items,
        metadata_files=files,
    )


def verify_bundle(bundle_dir: Path, trusted_root: bytes, *, max_item_bytes: int = 1024 * 1024) -> VerifiedBundle:
    """Check every signature, version, length and hash of the bundle in `bundle_dir`."""
    try:
        return _verify(bundle_dir, trusted_root, max_item_bytes)
    except (_Invalid, RepositoryError, DeserializationError, ValueError, KeyError, TypeError) as error:
        raise BundleError(f"{bundle_dir.name}: {type(error).__name__}: {error}") from None
