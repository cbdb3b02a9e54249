"""Find out what a repository offers and fetch it, checked by python-tuf's ngclient Updater.

The Updater does every check of TUF's client workflow: signatures against the trusted
root, root rotation, rollback of any version, freeze by expiry, snapshot consistency,
lengths and hashes. Each sync gets its own temporary metadata folder, seeded with the
verified metadata kept inside content.db (for rollback protection and to skip downloads);
the metadata the Updater verified there is read back with the public `tuf.api.metadata`
API and installed with the content, in the same single swap.

"Which items changed since version N" is a signed change list per version (a target of
the `changes` role, see bundle_format). Its entries carry each item's signed length and
hash, so an item is fetched with `download_target` from the list's `TargetFile` without
loading its hash bin too: a one-article update stays within 4 KB on the wire.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Callable

from tuf.api import exceptions
from tuf.api.metadata import Metadata, TargetFile, Targets, Timestamp
from tuf.api.serialization import DeserializationError
from tuf.ngclient import FetcherInterface, Updater, UpdaterConfig

from app.content.bundle_format import (
    BUNDLE_FIELD,
    COMMON_GROUP,
    NOTICES_GROUP,
    ROLE_PACKS,
    change_list_path,
    encode_item,
    groups_for_languages,
    is_item_path,
    item_language,
    pack_group,
    pack_target_path,
)
from app.content.fetch import Fetcher, NotFound

SUPPORTED_FORMATS = {2}
LIMITS = UpdaterConfig(
    max_root_rotations=32,
    root_max_length=512 * 1024,
    timestamp_max_length=16 * 1024,
    snapshot_max_length=8 * 1024 * 1024,
    targets_max_length=8 * 1024 * 1024,
)
# Change lists a sync follows back before it downloads packs instead.
MAX_CHANGE_LISTS = 16
# Roles whose metadata is kept with the installed content for the next update.
KEPT_ROLES = ("root", "timestamp", "snapshot", "targets")
# The Updater speaks URLs; the adapter below turns them back into repository paths.
_BASE = "repository:/"


class UpToDate(Exception):
    """The repository has nothing newer than what is installed."""


class RepositoryRefused(Exception):
    """The repository broke a rule of our bundle format; nothing from it is used."""


class NeedsNewerApp(Exception):
    """The repository uses a bundle format this app cannot read."""


class FetcherAdapter(FetcherInterface):
    """Lets the Updater download through our fetchers (capped, resumable, retried).

    Whole files are fetched with the length cap the Updater asks for, so the caps, retries,
    resume and typed failures of app.content.fetch apply to every file.
    """

    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher
        self.last_timestamp: bytes | None = None  # unverified: only to explain a failure

    def _get(self, url: str, max_length: int) -> bytes:
        if not url.startswith(_BASE):
            raise exceptions.DownloadError(f"unexpected URL {url}")
        path = url.removeprefix(_BASE)
        try:
            data = self.fetcher.fetch(path, max_length)
        except NotFound as error:
            # The Updater reads a 404 for the next root version as "no newer root".
            raise exceptions.DownloadHTTPError(error.detail, 404) from error
        if path == "metadata/timestamp.json":
            self.last_timestamp = data
        return data

    def _fetch(self, url: str) -> Iterator[bytes]:
        yield self._get(url, LIMITS.targets_max_length)

    def download_bytes(self, url: str, max_length: int) -> bytes:
        return self._get(url, max_length)

    @contextmanager
    def download_file(self, url: str, max_length: int) -> Iterator[IO]:
        with tempfile.TemporaryFile() as handle:
            handle.write(self._get(url, max_length))
            handle.seek(0)
            yield handle


# The checked state of a repository's newest version.
@dataclass(frozen=True)
class Remote:
    version: int
    format: int
    created_at: datetime
    expires_at: datetime
    snapshot_version: int


def _newest_root(shipped: bytes, kept: bytes | None) -> bytes:
    """The app's own root, or the rotated one kept from an earlier update if that is newer."""
    if kept is None:
        return shipped
    try:
        newer = Metadata.from_bytes(kept).signed.version > Metadata.from_bytes(shipped).signed.version
    except (ValueError, DeserializationError):
        return shipped
    return kept if newer else shipped


class RemoteRepository:
    """One sync's view of a repository: an Updater in its own temporary folder."""

    def __init__(self, fetcher: Fetcher, trusted_root: bytes, kept: dict[str, bytes], workdir: Path) -> None:
        self.adapter = FetcherAdapter(fetcher)
        self._metadata_dir = workdir / "metadata"
        self._targets_dir = workdir / "targets"
        self._metadata_dir.mkdir(parents=True)
        self._targets_dir.mkdir()
        self._downloads = 0
        for role in ("timestamp", "snapshot", "targets"):
            if role in kept:
                (self._metadata_dir / f"{role}.json").write_bytes(kept[role])
        self.updater = Updater(
            str(self._metadata_dir), _BASE + "metadata/", str(self._targets_dir), _BASE + "targets/",
            self.adapter, LIMITS, bootstrap=_newest_root(trusted_root, kept.get("root")),
        )

    def _verified(self, role: str) -> bytes:
        """Metadata the Updater verified and stored in its folder in this sync."""
        return (self._metadata_dir / f"{role}.json").read_bytes()

    def refresh(self) -> Remote:
        """Check root, timestamp, snapshot and targets; raises on any failed check."""
        self.updater.refresh()
        timestamp = Metadata[Timestamp].from_bytes(self._verified("timestamp")).signed
        info = timestamp.unrecognized_fields.get(BUNDLE_FIELD) or {}
        if info.get("format") not in SUPPORTED_FORMATS:
            raise NeedsNewerApp(f"bundle format {info.get('format')!r} is not one this app can read")
        expiring = [Metadata.from_bytes(self._verified(role)).signed.expires for role in ("timestamp", "snapshot", "targets")]
        return Remote(
            version=timestamp.version,
            format=info["format"],
            created_at=datetime.fromisoformat(info["created"]),
            expires_at=min(expiring),
            snapshot_version=timestamp.snapshot_meta.version,
        )

    def kept_metadata(self) -> dict[str, bytes]:
        """The verified metadata to install with the content, for the next sync."""
        return {role: self._verified(role) for role in KEPT_ROLES}

    def download(self, target: TargetFile) -> bytes:
        """A target's bytes, checked against its signed length and hash."""
        self._downloads += 1
        path = self.updater.download_target(target, str(self._targets_dir / str(self._downloads)))
        try:
            return Path(path).read_bytes()
        finally:
            Path(path).unlink()

    def changes_since(self, installed_snapshot: bytes, newest: int) -> dict[str, TargetFile | None] | None:
        """Every item changed (TargetFile) or removed (None) since the installed snapshot.

        None when the change lists do not reach back to it: the caller downloads packs.
        """
        if self._verified("snapshot") == installed_snapshot:
            return {}  # only the timestamp was renewed: same content, fresher signature
        have = hashlib.sha256(installed_snapshot).hexdigest()
        changed: dict[str, TargetFile | None] = {}
        version = newest
        for _ in range(MAX_CHANGE_LISTS):
            target = self.updater.get_targetinfo(change_list_path(version))
            if target is None:
                return None
            listing = _read_change_list(self.download(target), version)
            for path, entry in listing["items"].items():
                changed.setdefault(path, entry)  # the newest list seen first wins
            base = listing["base"]
            if base is None:
                return None
            if base["snapshot_sha256"] == have:
                return changed
            version = base["version"]
        return None

    def packs(self, languages: set[str] | None, on_item: Callable[[str], None] | None = None) -> tuple[dict[str, bytes], set[str]]:
        """Every item of the groups `languages` needs, in a few large files (notices first).

        Returns the items and the groups they replace whole."""
        self.updater.get_targetinfo(pack_target_path(COMMON_GROUP))  # loads the packs role
        # Only to learn the group names: each pack is looked up through the Updater below.
        listed = Metadata[Targets].from_bytes(self._verified(ROLE_PACKS)).signed.targets
        groups = {path.removeprefix("packs/").removesuffix(".json") for path in listed}
        wanted = groups_for_languages(languages, groups)
        items: dict[str, bytes] = {}
        for group in sorted(wanted, key=lambda g: (g != NOTICES_GROUP, g != COMMON_GROUP, g)):
            path = pack_target_path(group)
            target = self.updater.get_targetinfo(path)
            if target is None:
                raise RepositoryRefused(f"{path} is listed but not delegated")
            pack = json.loads(self.download(target))
            if not isinstance(pack, dict):
                raise RepositoryRefused(f"{path} is not a pack")
            for item_path, item in pack.items():
                if not is_item_path(item_path) or pack_group(item_path) != group:
                    raise RepositoryRefused(f"{path} holds {item_path}, which belongs elsewhere")
                items[item_path] = encode_item(item)
            if on_item:
                on_item(path)
        return items, wanted


def _read_change_list(data: bytes, version: int) -> dict:
    """A change list, checked for shape (its bytes were checked against the signed hash)."""
    try:
        listing = json.loads(data)
        base = listing["base"]
        if listing["version"] != version or (base is not None and (
                not isinstance(base["version"], int) or base["version"] >= version
                or not isinstance(base["snapshot_sha256"], str))):
            raise ValueError("version chain")
        items = {}
        for path, entry in listing["items"].items():
            if not is_item_path(path):
                raise ValueError(f"{path!r} is not an item")
            items[path] = None if entry is None else TargetFile.from_dict(dict(entry), path)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise RepositoryRefused(f"change list {version}: {error}") from None
    return {"base": base, "items": items}


def wanted_changes(
    changes: dict[str, TargetFile | None], installed_hashes: dict[str, str], languages: set[str] | None
) -> tuple[dict[str, TargetFile], set[str]]:
    """Items to download (new or different, in a language the phone follows) and items to drop."""
    fetch = {
        path: target for path, target in changes.items()
        if target is not None and installed_hashes.get(path) != target.hashes.get("sha256")
        and (languages is None or item_language(path) in (None, *languages))
    }
    removed = {path for path, target in changes.items() if target is None and path in installed_hashes}
    return fetch, removed


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()

