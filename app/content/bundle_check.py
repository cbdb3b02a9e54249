"""Check the bundle shipped inside the app with python-tuf's public metadata API.

The bundle is as trusted as the app itself and may be installed years after it was
built, offline: every signature, delegation, version, length and hash is checked here,
only expiry is not. (The ngclient Updater always checks expiry against the clock, which
is right for the network and wrong here.)
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

from tuf.api.exceptions import BadVersionNumberError, RepositoryError
from tuf.api.metadata import MetaFile, Metadata, Root, Signed, Snapshot, Targets, Timestamp
from tuf.api.serialization import DeserializationError

from app.content.bundle_format import (
    BUNDLE_FIELD,
    ROLE_ITEMS,
    ROLE_PACKS,
    consistent_target_name,
    encode_item,
    is_item_path,
    pack_group,
)
from app.content.errors import BundleError, Reason
from app.content.install import NewVersion
from app.content.update import KEPT_ROLES, SUPPORTED_FORMATS

MAX_ROOT_ROTATIONS = 32


def _read(folder: Path, name: str) -> bytes:
    try:
        return (folder / name).read_bytes()
    except OSError as error:
        raise BundleError(f"{name}: {error}") from None


def _delegated(delegator: Root | Targets, role: str, data: bytes, meta: MetaFile | None, kind: type[Signed]) -> Metadata:
    """`data` as `role`, signed by the keys `delegator` names, at the version `meta` names."""
    if meta is not None:
        meta.verify_length_and_hashes(data)
    metadata = Metadata[kind].from_bytes(data)
    if not isinstance(metadata.signed, kind):
        raise RepositoryError(f"{role} is a {metadata.signed.type}")
    delegator.verify_delegate(role, metadata.signed_bytes, metadata.signatures)
    if meta is not None and metadata.signed.version != meta.version:
        raise BadVersionNumberError(f"{role} is version {metadata.signed.version}, expected {meta.version}")
    return metadata


def _check(bundle_dir: Path, trusted_root: bytes) -> NewVersion:
    folder = bundle_dir / "metadata"
    root_bytes = trusted_root
    root = Metadata[Root].from_bytes(root_bytes)
    for _ in range(MAX_ROOT_ROTATIONS):  # follow rotations: each new root signed by the old and itself
        name = f"{root.signed.version + 1}.root.json"
        if not (folder / name).exists():
            break
        data = _read(folder, name)
        newer = _delegated(root.signed, "root", data, None, Root)
        newer.signed.verify_delegate("root", newer.signed_bytes, newer.signatures)
        if newer.signed.version != root.signed.version + 1:
            raise BadVersionNumberError(f"{name} is version {newer.signed.version}")
        root, root_bytes = newer, data
    kept = {"root": root_bytes}
    kept["timestamp"] = _read(folder, "timestamp.json")
    timestamp = _delegated(root.signed, "timestamp", kept["timestamp"], None, Timestamp).signed
    info = timestamp.unrecognized_fields.get(BUNDLE_FIELD) or {}
    if info.get("format") not in SUPPORTED_FORMATS:
        raise BundleError(f"bundle format {info.get('format')!r}", Reason.needs_newer_app)
    meta = timestamp.snapshot_meta
    kept["snapshot"] = _read(folder, f"{meta.version}.snapshot.json")
    snapshot = _delegated(root.signed, "snapshot", kept["snapshot"], meta, Snapshot).signed

    def role(delegator: Root | Targets, name: str) -> Targets:
        data = _read(folder, f"{snapshot.meta[f'{name}.json'].version}.{name}.json")
        if name in KEPT_ROLES:
            kept[name] = data
        return _delegated(delegator, name, data, snapshot.meta[f"{name}.json"], Targets).signed

    targets = role(root.signed, "targets")
    packs = role(targets, ROLE_PACKS)
    items_role = role(targets, ROLE_ITEMS)
    signed_items: dict[str, str] = {}
    for name in items_role.delegations.succinct_roles.get_roles():
        for path, target in role(items_role, name).targets.items():
            signed_items[path] = target.hashes["sha256"]
    items: dict[str, bytes] = {}
    for path, target in packs.targets.items():
        data = _read(bundle_dir / "targets", consistent_target_name(path, target.hashes["sha256"]))
        target.verify_length_and_hashes(data)
        group = path.removeprefix("packs/").removesuffix(".json")
        for item_path, item in json.loads(data).items():
            if not is_item_path(item_path) or pack_group(item_path) != group:
                raise BundleError(f"{path} holds {item_path}, which belongs elsewhere")
            items[item_path] = encode_item(item)
    # Every item the packs carry is the one its hash bin signed, and none is missing.
    unlisted = {p for p, d in items.items() if signed_items.get(p) != _sha256(d)} | (signed_items.keys() - items.keys())
    if unlisted:
        raise BundleError(f"packs and hash bins disagree on {sorted(unlisted)[:3]}")
    expires = min(m.expires for m in (timestamp, snapshot, targets))
    return NewVersion(timestamp.version, info["format"], datetime.fromisoformat(info["created"]), expires, items, kept)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_bundle(bundle_dir: Path, trusted_root: bytes) -> NewVersion:
    """The bundle as a version ready to install (items and verified metadata), or BundleError
    when any check fails."""
    try:
        return _check(bundle_dir, trusted_root)
    except BundleError:
        raise
    except (RepositoryError, DeserializationError) as error:
        raise BundleError(f"{type(error).__name__}: {error}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as error:  # not even shaped like a bundle
        raise BundleError(f"unreadable: {type(error).__name__}: {error}") from None
