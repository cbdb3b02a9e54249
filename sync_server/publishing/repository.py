"""Publish content items as a signed TUF repository (layout in app/content/bundle_format.py).

Publishing is additive: a new version adds files beside the old ones (every name holds
a version or a hash) and replaces timestamp.json last, so a client in the middle of a
download never sees a half-published version. Metadata of a role whose content did not
change keeps its version, so a phone re-downloads only what changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tuf.api.metadata import (
    DelegatedRole,
    Delegations,
    Metadata,
    MetaFile,
    Root,
    Snapshot,
    TargetFile,
    Targets,
    Timestamp,
)
from tuf.api.serialization.json import JSONSerializer

from app.content.bundle_format import (
    BUNDLE_FIELD,
    FORMAT_VERSION,
    ROLE_CHANGES,
    ROLE_ITEMS,
    ROLE_PACKS,
    bins,
    consistent_target_name,
    encode_item,
    pack_group,
    pack_target_path,
)
from app.content.rows import check_items
from sync_server.publishing.change_lists import add_change_list
from sync_server.publishing.keys import SigningKeys

ONLINE_ROLES = ("targets", "snapshot", "timestamp")
_COMPACT = JSONSerializer(compact=True)


# How long each kind of metadata stays valid after it is signed.
@dataclass(frozen=True)
class Lifetimes:
    timestamp: timedelta
    snapshot: timedelta
    targets: timedelta
    root: timedelta = timedelta(days=365 * 5)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc).replace(microsecond=0)


def make_root(keys: SigningKeys, *, version: int = 1, expires: datetime) -> Metadata[Root]:
    """Root metadata: the root key certifies the online key for the three online roles."""
    if keys.root is None:
        raise SystemExit("a new root needs the root key (root.pem), which stays offline: see KEYS.md")
    root = Root(version=version, expires=_utc(expires), consistent_snapshot=True)
    root.add_key(keys.root.public_key, "root")
    for role in ONLINE_ROLES:
        root.add_key(keys.online.public_key, role)
    metadata = Metadata(root)
    metadata.sign(keys.root)
    return metadata


# What the repository held before this publish (our own files: read, not verified).
@dataclass
class _Previous:
    version: int
    roles: dict[str, tuple[Metadata[Targets], bytes]]
    root: Metadata[Root] | None

    @classmethod
    def read(cls, repo_dir: Path) -> "_Previous":
        metadata_dir = repo_dir / "metadata"
        if not (metadata_dir / "timestamp.json").exists():
            return cls(version=0, roles={}, root=None)
        timestamp = Metadata[Timestamp].from_file(str(metadata_dir / "timestamp.json"))
        version = timestamp.signed.snapshot_meta.version
        snapshot = Metadata[Snapshot].from_file(str(metadata_dir / f"{version}.snapshot.json"))
        roles = {}
        for name, meta in snapshot.signed.meta.items():
            role = name.removesuffix(".json")
            data = (metadata_dir / f"{meta.version}.{name}").read_bytes()
            roles[role] = (Metadata[Targets].from_bytes(data), data)
        root = Metadata[Root].from_file(str(metadata_dir / "root.json"))
        return cls(version=timestamp.signed.version, roles=roles, root=root)


def _pack(members: dict[str, bytes]) -> bytes:
    """`encode_item({path: item, …})` written from the items' canonical bytes, never parsing them
    again (the same bytes: keys sorted, no spaces; a test compares the two)."""
    return b"{" + b",".join(json.dumps(path, ensure_ascii=False).encode("utf-8") + b":" + data
                            for path, data in sorted(members.items())) + b"}"


def _role_contents(items: dict[str, bytes], sha256: dict[str, str],
                   keys: SigningKeys) -> tuple[dict[str, Targets], dict[str, bytes]]:
    """The unsigned content of every targets role, and the target files they list."""
    files: dict[str, bytes] = {}
    online = keys.online.public_key
    by_bin: dict[str, dict[str, TargetFile]] = {name: {} for name in bins([online.keyid]).get_roles()}
    by_group: dict[str, dict[str, dict]] = {}
    succinct = bins([online.keyid])
    for path, data in items.items():
        target = TargetFile(len(data), {"sha256": sha256[path]}, path)
        by_bin[succinct.get_role_for_target(path)][path] = target
        files[f"targets/{consistent_target_name(path, sha256[path])}"] = data
        by_group.setdefault(pack_group(path), {})[path] = data
    packs: dict[str, TargetFile] = {}
    for group, members in sorted(by_group.items()):
        pack = _pack(members)
        path = pack_target_path(group)
        packs[path] = TargetFile.from_data(path, pack, ["sha256"])
        files[f"targets/{consistent_target_name(path, packs[path].hashes['sha256'])}"] = pack
    delegation_keys = {online.keyid: online}
    contents = {
        "targets": Targets(
            delegations=Delegations(
                keys=delegation_keys,
                roles={
                    ROLE_PACKS: DelegatedRole(ROLE_PACKS, [online.keyid], 1, True, paths=["packs/*"]),
                    ROLE_ITEMS: DelegatedRole(ROLE_ITEMS, [online.keyid], 1, True, paths=["*"]),
                },
            )
        ),
        ROLE_PACKS: Targets(targets=packs),
        ROLE_ITEMS: Targets(delegations=Delegations(keys=delegation_keys, succinct_roles=succinct)),
    }
    contents.update({name: Targets(targets=targets) for name, targets in by_bin.items()})
    return contents, files


def _signed_roles(
    contents: dict[str, Targets], previous: _Previous, keys: SigningKeys, *, version: int, now: datetime, lifetime: timedelta
) -> dict[str, tuple[int, bytes]]:
    """Sign every role whose content changed (or will expire soon); keep the others as they were."""
    signed: dict[str, tuple[int, bytes]] = {}
    for role, content in contents.items():
        old = previous.roles.get(role)
        if old is not None:
            old_metadata, old_bytes = old
            same = old_metadata.signed.targets == content.targets and old_metadata.signed.delegations == content.delegations
            signed_by_current_key = keys.online.public_key.keyid in old_metadata.signatures
            if same and signed_by_current_key and old_metadata.signed.expires - now > lifetime / 2:
                signed[role] = (old_metadata.signed.version, old_bytes)
                continue
        content.version = version
        content.expires = _utc(now + lifetime)
        metadata = Metadata(content)
        metadata.sign(keys.online)
        signed[role] = (version, metadata.to_bytes(_COMPACT))
    return signed


def publish(
    repo_dir: Path,
    items: Mapping[str, dict | bytes],
    keys: SigningKeys,
    *,
    now: datetime,
    lifetimes: Lifetimes,
    root: Metadata[Root] | None = None,
    only_current: bool = False,
    item_files: bool = True,
    min_version: int = 1,
) -> int:
    """Validate `items` and publish them as the next version; return that version.

    An item is a dict or its canonical bytes (`encode_item`, as the server's content store
    keeps it). `only_current` writes a fresh folder with just this version (the app's embedded
    bundle), swapped in whole; otherwise files are added beside older versions.
    """
    encoded = {path: item if isinstance(item, bytes) else encode_item(item) for path, item in items.items()}
    sha256 = {path: hashlib.sha256(data).hexdigest() for path, data in encoded.items()}  # once per publish
    check_items(encoded, sha256=sha256)  # refuses invalid content before anything is signed (build_rows' rules)
    previous = _Previous.read(repo_dir)
    version = max(previous.version + 1, min_version)
    root = root or previous.root or make_root(keys, expires=now + lifetimes.root)
    previous_hashes = _item_hashes(previous)
    contents, files = _role_contents(encoded, sha256, keys)
    add_change_list(repo_dir, contents, files, version=version, previous_hashes=previous_hashes, sha256=sha256,
                    previous_changes=previous.roles[ROLE_CHANGES][0].signed if ROLE_CHANGES in previous.roles else None,
                    items=encoded)
    if not item_files:
        files = {name: data for name, data in files.items() if name.startswith("targets/packs/")}
    roles = _signed_roles(contents, previous, keys, version=version, now=now, lifetime=lifetimes.targets)
    for role, (role_version, data) in roles.items():
        files[f"metadata/{role_version}.{role}.json"] = data

    snapshot = Metadata(
        Snapshot(
            version=version,
            expires=_utc(now + lifetimes.snapshot),
            meta={f"{role}.json": MetaFile(version=role_version) for role, (role_version, _) in roles.items()},
        )
    )
    snapshot.sign(keys.online)
    snapshot_bytes = snapshot.to_bytes(_COMPACT)
    files[f"metadata/{version}.snapshot.json"] = snapshot_bytes
    timestamp = Timestamp(
        version=version,
        expires=_utc(now + lifetimes.timestamp),
        snapshot_meta=MetaFile(
            version=version, length=len(snapshot_bytes), hashes={"sha256": hashlib.sha256(snapshot_bytes).hexdigest()}
        ),
    )
    timestamp.unrecognized_fields[BUNDLE_FIELD] = {
        "format": FORMAT_VERSION, "created": _utc(now).isoformat(), "signed": _utc(now).isoformat()}
    signed_timestamp = Metadata(timestamp)
    signed_timestamp.sign(keys.online)
    root_bytes = root.to_bytes(JSONSerializer(compact=False))
    files[f"metadata/{root.signed.version}.root.json"] = root_bytes
    files["metadata/root.json"] = root_bytes

    if only_current:
        files["metadata/timestamp.json"] = signed_timestamp.to_bytes(_COMPACT)
        _replace_folder(repo_dir, files)
    else:
        # Item files the previous version listed are on disk already (named by their hash).
        _add_files(repo_dir, files, {f"targets/{consistent_target_name(path, sha256)}"
                                     for path, sha256 in previous_hashes.items()})
        _write_atomically(repo_dir / "metadata" / "timestamp.json", signed_timestamp.to_bytes(_COMPACT))
    return version


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def _add_files(repo_dir: Path, files: dict[str, bytes], present: set[str]) -> None:
    for name, data in files.items():
        if name in present:
            continue
        path = repo_dir / name
        # Metadata is always (re)written: a publish that died before its timestamp must not
        # leave its files to a later publish of the same version. Targets are named by hash.
        if name.startswith("metadata/") or not path.exists():
            _write_atomically(path, data)


def _replace_folder(out_dir: Path, files: dict[str, bytes]) -> None:
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        for name, data in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_bytes(data)
        previous = out_dir.with_name(f".{out_dir.name}.old")
        shutil.rmtree(previous, ignore_errors=True)
        if out_dir.exists():
            os.replace(out_dir, previous)
        os.replace(staging, out_dir)
        shutil.rmtree(previous, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _item_hashes(previous: _Previous) -> dict[str, str]:
    hashes = {}
    for role, (metadata, _) in previous.roles.items():
        if role not in ("targets", ROLE_PACKS, ROLE_CHANGES, ROLE_ITEMS):
            hashes.update({path: target.hashes["sha256"] for path, target in metadata.signed.targets.items()})
    return hashes


def published_item_hashes(repo_dir: Path) -> dict[str, str]:
    """Path → sha256 of every item in the repository's current version (our own files)."""
    return _item_hashes(_Previous.read(repo_dir))


def published_version(repo_dir: Path) -> int:
    """The version the repository serves (0: none yet); reads only its timestamp."""
    path = repo_dir / "metadata" / "timestamp.json"
    if not path.exists():
        return 0
    return Metadata[Timestamp].from_file(str(path)).signed.version


def expiries(repo_dir: Path) -> dict[str, datetime]:
    """When the current timestamp, snapshot and each targets role expire (our own files)."""
    metadata_dir = repo_dir / "metadata"
    timestamp = Metadata[Timestamp].from_file(str(metadata_dir / "timestamp.json"))
    snapshot = Metadata[Snapshot].from_file(str(metadata_dir / f"{timestamp.signed.snapshot_meta.version}.snapshot.json"))
    found = {"timestamp": timestamp.signed.expires, "snapshot": snapshot.signed.expires}
    found.update({role: metadata.signed.expires for role, (metadata, _) in _Previous.read(repo_dir).roles.items()})
    return found


def renew_timestamp(repo_dir: Path, keys: SigningKeys, *, now: datetime, lifetime: timedelta) -> int:
    """Re-sign timestamp.json with a later expiry, pointing at the same snapshot.

    Phones refuse a timestamp past its expiry (a frozen repository looks like an attack),
    so the publisher renews it while content stays the same; returns its new version.
    """
    path = repo_dir / "metadata" / "timestamp.json"
    current = Metadata[Timestamp].from_file(str(path)).signed
    # "signed" moves with each renewal: phones show it as when the content was last vouched for.
    info = {**current.unrecognized_fields.get(BUNDLE_FIELD, {}), "signed": _utc(now).isoformat()}
    renewed = Timestamp(version=current.version + 1, expires=_utc(now + lifetime), snapshot_meta=current.snapshot_meta,
                        unrecognized_fields={**current.unrecognized_fields, BUNDLE_FIELD: info})
    signed = Metadata(renewed)
    signed.sign(keys.online)
    _write_atomically(path, signed.to_bytes(_COMPACT))
    return renewed.version


def rotate_online_key(repo_dir: Path, old: SigningKeys, new: SigningKeys, *, now: datetime, lifetimes: Lifetimes) -> int:
    """Publish root version n+1 naming `new.online`, signed by the old and the new root keys.

    Phones follow the chain of roots at their next sync; content signed by `new.online`
    is then trusted without reinstalling the app. Returns the new root's version.
    """
    current = Metadata[Root].from_file(str(repo_dir / "metadata" / "root.json"))
    rotated = make_root(new, version=current.signed.version + 1, expires=now + lifetimes.root)
    if old.root is not None and new.root is not None and old.root.public_key.keyid != new.root.public_key.keyid:
        rotated.sign(old.root, append=True)
    data = rotated.to_bytes(JSONSerializer(compact=False))
    _write_atomically(repo_dir / "metadata" / f"{rotated.signed.version}.root.json", data)
    _write_atomically(repo_dir / "metadata" / "root.json", data)
    return rotated.signed.version
