"""Write a signed bundle: a TUF repository of content items.

Layout (consistent snapshots, so every file but timestamp.json is content-addressed):
  metadata/1.root.json, metadata/root.json
  metadata/timestamp.json
  metadata/<v>.snapshot.json, metadata/<v>.targets.json
  targets/<kind>/<sha256>.<id>.json
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tuf.api.metadata import (
    Metadata,
    MetaFile,
    Root,
    Snapshot,
    TargetFile,
    Targets,
    Timestamp,
)
from tuf.api.serialization.json import JSONSerializer

from app.content.bundle_format import BUNDLE_FIELD, FORMAT_VERSION, consistent_target_name, encode_item
from app.content.rows import build_rows
from sync_server.keys import SigningKeys

ONLINE_ROLES = ("targets", "snapshot", "timestamp")
_PRETTY = JSONSerializer(compact=False)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc).replace(microsecond=0)


def make_root(keys: SigningKeys, *, version: int = 1, expires: datetime) -> Metadata[Root]:
    """Root metadata: the root key certifies the online key for the three online roles."""
    root = Root(version=version, expires=_utc(expires), consistent_snapshot=True)
    root.add_key(keys.root.public_key, "root")
    for role in ONLINE_ROLES:
        root.add_key(keys.online.public_key, role)
    metadata = Metadata(root)
    metadata.sign(keys.root)
    return metadata


def write_bundle(
    out_dir: Path,
    items: dict[str, dict],
    keys: SigningKeys,
    *,
    version: int,
    created: datetime,
    expires: datetime,
    root: Metadata[Root] | None = None,
) -> None:
    """Validate `items`, then write them as signed version `version` into `out_dir`.

    The folder is built beside `out_dir` and swapped in, so a failed build leaves the
    previous bundle as it was.
    """
    build_rows(items)  # refuses invalid content before anything is signed
    root = root or make_root(keys, expires=expires)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".bundle-", dir=out_dir.parent))
    try:
        targets = Targets(version=version, expires=_utc(expires))
        targets.unrecognized_fields[BUNDLE_FIELD] = {"format": FORMAT_VERSION, "created": _utc(created).isoformat()}
        for path in sorted(items):
            data = encode_item(items[path])
            target = TargetFile.from_data(path, data, ["sha256"])
            targets.targets[path] = target
            file_path = staging / "targets" / consistent_target_name(path, target.hashes["sha256"])
            file_path.parent.mkdir(parents=True, exist_ok=True)
            file_path.write_bytes(data)
        signed_targets = Metadata(targets)
        signed_targets.sign(keys.online)
        targets_bytes = signed_targets.to_bytes(_PRETTY)

        snapshot = Snapshot(version=version, expires=_utc(expires))
        snapshot.meta["targets.json"] = MetaFile(version=version)
        signed_snapshot = Metadata(snapshot)
        signed_snapshot.sign(keys.online)
        snapshot_bytes = signed_snapshot.to_bytes(_PRETTY)

        timestamp = Timestamp(version=version, expires=_utc(expires))
        timestamp.snapshot_meta = MetaFile(version=version)
        signed_timestamp = Metadata(timestamp)
        signed_timestamp.sign(keys.online)

        metadata_dir = staging / "metadata"
        metadata_dir.mkdir()
        root_bytes = root.to_bytes(_PRETTY)
        (metadata_dir / f"{root.signed.version}.root.json").write_bytes(root_bytes)
        (metadata_dir / "root.json").write_bytes(root_bytes)
        (metadata_dir / f"{version}.targets.json").write_bytes(targets_bytes)
        (metadata_dir / f"{version}.snapshot.json").write_bytes(snapshot_bytes)
        (metadata_dir / "timestamp.json").write_bytes(signed_timestamp.to_bytes(_PRETTY))

        previous = out_dir.with_name(out_dir.name + ".old")
        if out_dir.exists():
            os.replace(out_dir, previous)
        os.replace(staging, out_dir)
        shutil.rmtree(previous, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def root_of(bundle_dir: Path) -> Metadata[Root]:
    return Metadata[Root].from_file(str(bundle_dir / "metadata" / "root.json"))


def bundle_version(bundle_dir: Path) -> int:
    timestamp = Metadata[Timestamp].from_file(str(bundle_dir / "metadata" / "timestamp.json"))
    return timestamp.signed.version


def committed_item_hashes(bundle_dir: Path) -> dict[str, str]:
    """Path → sha256 of every item in an existing bundle (no verification: build-time only)."""
    version = bundle_version(bundle_dir)
    targets = Metadata[Targets].from_file(str(bundle_dir / "metadata" / f"{version}.targets.json"))
    return {path: target.hashes["sha256"] for path, target in targets.signed.targets.items()}
