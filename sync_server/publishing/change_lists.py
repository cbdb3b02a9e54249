"""Publish, with each version, a signed list of the items it changed (see bundle_format).

A phone one article behind then downloads one small list and that article, instead of
comparing hash bins. The list is a target of its own role, `changes`, which keeps only the
last few lists so the role stays small on the wire.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from tuf.api.metadata import DelegatedRole, Metadata, Snapshot, TargetFile, Targets, Timestamp

from app.content.bundle_format import (
    CHANGE_LISTS_KEPT,
    ROLE_CHANGES,
    change_list_path,
    consistent_target_name,
    encode_item,
    is_item_path,
)


def _previous_snapshot(repo_dir: Path) -> tuple[int, str] | None:
    """Version and sha256 of the snapshot the repository serves now (our own files)."""
    metadata_dir = repo_dir / "metadata"
    if not (metadata_dir / "timestamp.json").exists():
        return None
    version = Metadata[Timestamp].from_file(str(metadata_dir / "timestamp.json")).signed.snapshot_meta.version
    data = (metadata_dir / f"{version}.snapshot.json").read_bytes()
    Metadata[Snapshot].from_bytes(data)  # our own file, but never hash something unreadable
    return version, hashlib.sha256(data).hexdigest()


def add_change_list(
    repo_dir: Path,
    contents: dict[str, Targets],
    files: dict[str, bytes],
    *,
    version: int,
    previous_hashes: dict[str, str],
    previous_changes: Targets | None,
    items: dict[str, bytes],
    sha256: dict[str, str],
) -> None:
    """Add version `version`'s change list to `files` and the `changes` role to `contents`.

    `previous_hashes` are the items of the version being replaced, `sha256` those of `items`
    (path → sha256).
    """
    base = _previous_snapshot(repo_dir)
    changed: dict[str, dict | None] = {}
    for path, data in items.items():
        if previous_hashes.get(path) != sha256[path]:
            changed[path] = TargetFile(len(data), {"sha256": sha256[path]}, path).to_dict()
    changed.update({path: None for path in previous_hashes.keys() - items.keys() if is_item_path(path)})
    listing = encode_item({
        "version": version,
        "base": None if base is None else {"version": base[0], "snapshot_sha256": base[1]},
        "items": changed,
    })
    path = change_list_path(version)
    target = TargetFile.from_data(path, listing, ["sha256"])
    files[f"targets/{consistent_target_name(path, target.hashes['sha256'])}"] = listing
    kept = dict(previous_changes.targets) if previous_changes is not None else {}
    kept[path] = target
    newest = sorted(kept, key=lambda p: int(p.removeprefix("changes/").removesuffix(".json")))[-CHANGE_LISTS_KEPT:]
    contents[ROLE_CHANGES] = Targets(targets={p: kept[p] for p in newest})
    # Delegation order matters: "changes/*" must be matched before the items' catch-all.
    delegations = contents["targets"].delegations
    online = next(iter(delegations.keys))
    roles = dict(delegations.roles)
    delegations.roles = {}
    for name, role in roles.items():
        if name == "items":
            delegations.roles[ROLE_CHANGES] = DelegatedRole(ROLE_CHANGES, [online], 1, True, paths=["changes/*"])
        delegations.roles[name] = role
