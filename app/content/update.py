"""Find out what a repository offers and fetch it, checked by TUF's client rules.

Every check (signatures against the trusted root, root rotation, rollback of any
version, freeze by expiry, snapshot consistency, lengths and hashes) is done by
python-tuf's TrustedMetadataSet, the class its ngclient Updater uses. The Updater itself
cannot say which targets changed between two versions of a delegated role, and a
one-article update needs exactly that, so this module drives the same checks itself.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

from tuf.api import exceptions
from tuf.api.metadata import Metadata, Snapshot, TargetFile, Targets
from tuf.api.serialization import DeserializationError
from tuf.ngclient._internal.trusted_metadata_set import TrustedMetadataSet
from tuf.ngclient.config import EnvelopeType

from app.content.bundle_format import (
    BIN_PREFIX,
    BUNDLE_FIELD,
    ROLE_ITEMS,
    ROLE_PACKS,
    bin_for,
    consistent_target_name,
    encode_item,
    groups_for_languages,
    is_item_path,
    item_language,
    pack_group,
)
from app.content.fetch import Fetcher, NotFound

SUPPORTED_FORMATS = {2}
MAX_ROOT_BYTES = 512 * 1024
MAX_TIMESTAMP_BYTES = 16 * 1024
MAX_METADATA_BYTES = 8 * 1024 * 1024
MAX_ROOT_ROTATIONS = 32
# Roles whose metadata is kept with the installed content for the next update.
KEPT_ROLES = ("root", "timestamp", "snapshot", "targets", ROLE_ITEMS)


class UpToDate(Exception):
    """The repository has nothing newer than what is installed."""


class RepositoryRefused(Exception):
    """The repository's metadata or files failed a check; nothing from it is used."""


# The checked state of a repository's newest version.
@dataclass
class Remote:
    trusted: TrustedMetadataSet
    version: int
    format: int
    created_at: datetime
    metadata_files: dict[str, bytes] = field(default_factory=dict)

    @property
    def expires_at(self) -> datetime:
        return min(m.expires for m in self.trusted)


def _newest_root(shipped: bytes, kept: bytes | None) -> bytes:
    """The app's own root, or the rotated one kept from an earlier update if that is newer."""
    if kept is None:
        return shipped
    try:
        newer = Metadata.from_bytes(kept).signed.version > Metadata.from_bytes(shipped).signed.version
    except (ValueError, DeserializationError):
        return shipped
    return kept if newer else shipped


def _load_kept(trusted: TrustedMetadataSet, role: str, kept: dict[str, bytes], update: Callable[[bytes], object]) -> bool:
    data = kept.get(role)
    if data is None:
        return False
    try:
        update(data)
        return True
    except (exceptions.RepositoryError, exceptions.ExpiredMetadataError):
        return False


def refresh(fetcher: Fetcher, trusted_root: bytes, kept: dict[str, bytes], *, allow_expired: bool = False) -> Remote:
    """Check the repository's newest timestamp and snapshot against what we trust.

    `kept` holds the metadata of the installed version (for rollback protection).
    Raises UpToDate when there is nothing newer; a failed check raises RepositoryRefused or
    python-tuf's own RepositoryError (sync() turns both into a "refused" result).
    """
    try:
        root_bytes = _newest_root(trusted_root, kept.get("root"))
        trusted = TrustedMetadataSet(root_bytes, EnvelopeType.METADATA)
        if allow_expired:
            # The embedded bundle ships inside the signed app: it may be installed years
            # later, offline. Freshness is the sync's job, not the first run's.
            trusted.reference_time = datetime(1970, 1, 1, tzinfo=timezone.utc)
        files: dict[str, bytes] = {}
        for _ in range(MAX_ROOT_ROTATIONS):
            try:
                data = fetcher.fetch(f"metadata/{trusted.root.version + 1}.root.json", MAX_ROOT_BYTES)
            except NotFound:
                break
            trusted.update_root(data)
            root_bytes = data
        files["root"] = root_bytes
        _load_kept(trusted, "timestamp", kept, trusted.update_timestamp)
        data = fetcher.fetch("metadata/timestamp.json", MAX_TIMESTAMP_BYTES)
        try:
            timestamp = trusted.update_timestamp(data)
        except exceptions.EqualVersionNumberError:
            # Same version as installed: fine only while it is still fresh. A replay of
            # expired metadata must not pass for "up to date" (freeze attack).
            if trusted.timestamp.is_expired(trusted.reference_time):
                raise RepositoryRefused("expired: the server offers only the installed, expired version") from None
            raise UpToDate() from None
        files["timestamp"] = data
        info = timestamp.unrecognized_fields.get(BUNDLE_FIELD) or {}
        if info.get("format") not in SUPPORTED_FORMATS:
            raise RepositoryRefused(f"bundle format {info.get('format')!r} is not one this app can read")
        _load_kept(trusted, "snapshot", kept, lambda d: trusted.update_snapshot(d, trusted=True))
        meta = timestamp.snapshot_meta
        data = fetcher.fetch(f"metadata/{meta.version}.snapshot.json", meta.length or MAX_METADATA_BYTES)
        trusted.update_snapshot(data)
        files["snapshot"] = data
        remote = Remote(trusted, timestamp.version, info["format"], datetime.fromisoformat(info["created"]), files)
        _load_role(remote, fetcher, kept, "targets", "root")
        _load_role(remote, fetcher, kept, ROLE_ITEMS, "targets")
        return remote
    except (ValueError, KeyError, TypeError) as error:  # metadata that is not even TUF
        raise RepositoryRefused(f"unreadable metadata: {type(error).__name__}: {error}") from None


def _load_role(remote: Remote, fetcher: Fetcher, kept: dict[str, bytes], role: str, delegator: str) -> Targets:
    """A targets role at the version the snapshot names: kept copy if current, else fetched."""
    meta = remote.trusted.snapshot.meta[f"{role}.json"]
    old = kept.get(role)
    if old is not None:
        try:
            loaded = remote.trusted.update_delegated_targets(old, role, delegator)
            remote.metadata_files[role] = old
            return loaded
        except exceptions.RepositoryError:
            pass  # a newer version is out: fetch it
    data = fetcher.fetch(f"metadata/{meta.version}.{role}.json", meta.length or MAX_METADATA_BYTES)
    loaded = remote.trusted.update_delegated_targets(data, role, delegator)
    remote.metadata_files[role] = data
    return loaded


def _fetch_target(fetcher: Fetcher, path: str, target: TargetFile) -> bytes:
    data = fetcher.fetch(f"targets/{consistent_target_name(path, target.hashes['sha256'])}", target.length)
    target.verify_length_and_hashes(data)
    return data


def fetch_packs(
    remote: Remote, fetcher: Fetcher, languages: set[str] | None, on_item: Callable[[str], None] | None = None
) -> tuple[dict[str, bytes], set[str]]:
    """Every item of the groups `languages` needs, in a few large files (notices first).

    Returns the items and the groups they replace whole."""
    packs = _load_role(remote, fetcher, {}, ROLE_PACKS, "targets")
    by_group = {path.removeprefix("packs/").removesuffix(".json"): (path, t) for path, t in packs.targets.items()}
    wanted = groups_for_languages(languages, set(by_group))
    items: dict[str, bytes] = {}
    for group in sorted(wanted, key=lambda g: (g != "notices", g != "common", g)):
        path, target = by_group[group]
        pack = json.loads(_fetch_target(fetcher, path, target))
        if not isinstance(pack, dict):
            raise RepositoryRefused(f"{path} is not a pack")
        for item_path, item in pack.items():
            if not is_item_path(item_path) or pack_group(item_path) != group:
                raise RepositoryRefused(f"{path} holds {item_path}, which belongs elsewhere")
            items[item_path] = encode_item(item)
        if on_item:
            on_item(path)
    return items, wanted


def changed_bins(remote: Remote, kept_snapshot: bytes | None) -> list[str] | None:
    """Bins whose version moved since the installed snapshot (None: no snapshot to compare)."""
    if kept_snapshot is None:
        return None
    old = Metadata[Snapshot].from_bytes(kept_snapshot).signed.meta
    new = remote.trusted.snapshot.meta
    return sorted(
        name.removesuffix(".json")
        for name, meta in new.items()
        if name.startswith(BIN_PREFIX) and (name not in old or old[name].version != meta.version)
    )


# What an incremental update changes.
@dataclass
class Delta:
    changed: dict[str, bytes]
    removed: set[str]


def fetch_delta(
    remote: Remote,
    fetcher: Fetcher,
    bins: list[str],
    installed_hashes: dict[str, str],
    languages: set[str] | None,
    on_item: Callable[[str], None] | None = None,
) -> Delta:
    """Download the items of changed bins that differ from what is installed (notices first)."""
    wanted: dict[str, TargetFile] = {}
    listed: set[str] = set()
    for name in bins:
        role = _load_role(remote, fetcher, {}, name, ROLE_ITEMS)
        for path, target in role.targets.items():
            if not is_item_path(path) or bin_for(path) != name:
                raise RepositoryRefused(f"{name} lists {path!r}, which is not an item of that bin")
            listed.add(path)
            lang = item_language(path)
            if (languages is None or lang is None or lang in languages) and installed_hashes.get(path) != target.hashes["sha256"]:
                wanted[path] = target
    removed = {path for path in installed_hashes if bin_for(path) in set(bins) and path not in listed}
    changed = {}
    for path in sorted(wanted, key=lambda p: (not p.startswith("notice/"), p)):
        changed[path] = _fetch_target(fetcher, path, wanted[path])
        if on_item:
            on_item(path)
    return Delta(changed=changed, removed=removed)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
