"""One content update, start to finish: check, download what changed, install.

The network only ever adds: any failure leaves the installed content exactly as it was.
The result says what happened as a code (`Reason`); the UI picks the words.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

from sqlalchemy.exc import DBAPIError
from tuf.api.exceptions import DownloadError, DownloadHTTPError, ExpiredMetadataError, RepositoryError
from tuf.api.serialization import DeserializationError

from app.content.bundle_format import pack_group
from app.content.errors import ContentError, Reason, SyncFailure, status_of
from app.content.fetch import Fetcher
from app.content.install import (
    ConcurrentUpdate,
    InstalledFile,
    InstalledState,
    NewVersion,
    disk_full,
    install_version,
)
from app.content.update import (
    NeedsNewerApp,
    Remote,
    RemoteRepository,
    RepositoryRefused,
    UpToDate,
    wanted_changes,
)
from app.storage.paths import content_db

logger = logging.getLogger(__name__)

TIMESTAMP_PATH = "metadata/timestamp.json"

# Past this many changed items, a few large packs cost less than many small files.
FULL_SYNC_ITEMS = 64
# Room an install needs beyond the download: the new database beside the old one.
DISK_MARGIN_BYTES = 5 * 1024 * 1024
# A phone clock this far from the server's is wrong, not the server's signed dates.
CLOCK_TOLERANCE = timedelta(minutes=10)


# The outcome of a sync, for the screen and for `python -m app sync --json`.
@dataclass(frozen=True)
class SyncResult:
    reason: Reason
    from_version: int | None
    to_version: int | None
    bytes_downloaded: int
    detail: str = ""
    needed_bytes: int = 0  # with Reason.no_space: how much room the update needs
    # The ETag of the signed timestamp this result is based on: the next check asks "still it?".
    timestamp_etag: str | None = None
    # The checked timestamp was signed later than the phone's "now": its clock is behind.
    clock_behind: bool = False

    @property
    def status(self) -> str:
        """updated | up_to_date | skipped | failed | refused | no_space"""
        return status_of(self.reason)


# Progress for the screen: which stage, how many files of how many.
@dataclass(frozen=True)
class Progress:
    stage: str  # checking | downloading | installing
    done: int
    total: int
    bytes_downloaded: int


ProgressCallback = Callable[[Progress], None]


def _report(progress: ProgressCallback | None, fetcher: Fetcher, stage: str, done: int = 0, total: int = 0) -> None:
    if progress:
        progress(Progress(stage=stage, done=done, total=total, bytes_downloaded=fetcher.bytes_downloaded))


def _free_bytes(home: Path) -> int:
    return shutil.disk_usage(home).free


def _needed_bytes(home: Path) -> int:
    path = content_db(home)
    return (path.stat().st_size if path.exists() else 0) * 2 + DISK_MARGIN_BYTES


class _NoSpace(Exception):
    pass


def sync(
    home: Path,
    fetcher: Fetcher,
    *,
    trusted_root: bytes,
    languages: set[str] | None,
    full_only: bool = False,
    progress: ProgressCallback | None = None,
    now: datetime | None = None,
) -> SyncResult:
    """Bring the content in `home` up to the repository's newest version."""
    with InstalledFile(home) as current:  # one engine for all a sync reads from the installed file
        return _sync(home, current, fetcher, trusted_root=trusted_root, languages=languages, full_only=full_only,
                     progress=progress, now=now or datetime.now(timezone.utc))


def _sync(
    home: Path,
    current: InstalledFile,
    fetcher: Fetcher,
    *,
    trusted_root: bytes,
    languages: set[str] | None,
    full_only: bool,
    progress: ProgressCallback | None,
    now: datetime,
) -> SyncResult:
    state = current.state()
    installed = state.version

    def result(reason: Reason, detail: str = "", to_version: int | None = installed, **extra) -> SyncResult:
        if status_of(reason) in ("failed", "refused", "no_space"):
            logger.warning("sync stopped: %s (%s)", reason.value, detail)
        return SyncResult(reason, installed, to_version, fetcher.bytes_downloaded, detail, **extra)

    repository = None
    try:
        with tempfile.TemporaryDirectory(prefix=".sync-", dir=home) as workdir:
            _report(progress, fetcher, "checking")
            repository = RemoteRepository(fetcher, trusted_root, state.metadata, Path(workdir))
            remote = repository.refresh()
            if installed is not None and remote.version <= installed:
                raise UpToDate()
            if _free_bytes(home) < _needed_bytes(home):
                raise _NoSpace("before download")
            new = _download(current, repository, remote, state, languages, full_only, fetcher, progress)
            outcome = install_version(home, new, now=now, based_on=installed)
    except UpToDate:
        return result(Reason.up_to_date, clock_behind=_clock_behind(repository, now))
    except _NoSpace as error:
        return result(Reason.no_space, str(error), needed_bytes=_needed_bytes(home))
    except SyncFailure as error:  # our fetchers' typed failures (network, portal, cancel, caps)
        return result(error.reason, error.detail)
    except DownloadHTTPError as error:
        return result(Reason.server_refused, f"HTTP {error.status_code}: {error}")
    except DownloadError as error:  # the Updater's own length cap
        return result(Reason.refused, f"{type(error).__name__}: {error}")
    except NeedsNewerApp as error:
        return result(Reason.needs_newer_app, str(error))
    except ExpiredMetadataError as error:
        skew = _clock_skew(fetcher, repository, now)
        return result(Reason.clock_skew if skew else Reason.expired, f"{type(error).__name__}: {error}{skew}")
    except DeserializationError as error:  # a metadata file that does not even parse: mangled on the way
        return result(Reason.mangled, f"{type(error).__name__}: {error}")
    except RepositoryError as error:  # every other TUF check that failed
        return result(Reason.refused, f"{type(error).__name__}: {error}")
    except (RepositoryRefused, ContentError) as error:
        return result(Reason.refused, f"{type(error).__name__}: {error}")
    except ConcurrentUpdate as error:
        return result(Reason.busy, str(error))
    except (OSError, DBAPIError) as error:
        if disk_full(error):
            return result(Reason.no_space, str(error), needed_bytes=_needed_bytes(home))
        return result(Reason.install_failed, f"{type(error).__name__}: {error}")
    except Exception as error:  # noqa: BLE001  the app must never crash on an update; nothing was installed
        logger.exception("sync failed unexpectedly")
        return result(Reason.install_failed, f"{type(error).__name__}: {error}")
    return SyncResult(Reason.updated, outcome.previous_version, outcome.version, fetcher.bytes_downloaded,
                      clock_behind=_clock_behind(repository, now))


def _download(
    current: InstalledFile,
    repository: RemoteRepository,
    remote: Remote,
    state: InstalledState,
    languages: set[str] | None,
    full_only: bool,
    fetcher: Fetcher,
    progress: ProgressCallback | None,
) -> NewVersion:
    counter = {"done": 0}

    def on_item(_path: str) -> None:
        counter["done"] += 1
        _report(progress, fetcher, "downloading", counter["done"])

    changes = None
    if not full_only and state.metadata.get("snapshot") is not None:
        changes = repository.changes_since(state.metadata["snapshot"], remote.snapshot_version)
    wanted, removed = wanted_changes(changes or {}, state.item_hashes, languages)
    if changes is None or len(wanted) > FULL_SYNC_ITEMS:
        fetched, groups = repository.packs(languages, on_item)
        # Languages the phone does not follow keep the text they have.
        kept = current.items({p for p in state.item_hashes if pack_group(p) not in groups})
        items = {**kept, **fetched}
    else:
        items = current.items()
        for path in removed:
            items.pop(path, None)
        for path in sorted(wanted, key=lambda p: (not p.startswith("notice/"), p)):
            items[path] = repository.download(wanted[path])
            on_item(path)
    items = _without_orphans(items)
    _report(progress, fetcher, "installing", counter["done"], counter["done"])
    return NewVersion(remote.version, remote.format, remote.created_at, remote.expires_at, items,
                      repository.kept_metadata())


def _clock_skew(fetcher: Fetcher, repository: RemoteRepository | None, now: datetime) -> str:
    """Why metadata looked expired, if the phone's clock is to blame ("" if not).

    The server's Date header says what time it is there; if the timestamp the server sent
    is still valid at that time, the phone's clock is wrong, not the server's dates.
    """
    offset = getattr(fetcher, "clock_offset", None)
    if offset is None or abs(offset) <= CLOCK_TOLERANCE or repository is None or repository.adapter.last_timestamp is None:
        return ""
    from tuf.api.metadata import Metadata

    try:
        expires = Metadata.from_bytes(repository.adapter.last_timestamp).signed.expires
    except (ValueError, DeserializationError):
        return ""
    if expires <= now + offset:
        return ""  # stale even by the server's own clock: a frozen server, not the phone
    return f" (phone clock off by {offset})"


def _clock_behind(repository: RemoteRepository | None, now: datetime) -> bool:
    """Whether the timestamp just verified was signed after the phone's "now" (its clock is behind).

    Only a clock that is behind passes TUF's checks, so only a signed time can show it: the
    server's Date header is not signed, and would let any network say the phone is wrong."""
    from app.content.freshness import Freshness, signed_at

    if repository is None or repository.adapter.last_timestamp is None:
        return False
    checked = Freshness(verified_at=signed_at(repository.adapter.last_timestamp), expires_at=None)
    behind = checked.clock_behind(now, CLOCK_TOLERANCE)
    if behind:
        logger.warning("phone clock behind the signed timestamp (signed %s)", checked.verified_at)
    return behind


def _without_orphans(items: dict[str, bytes]) -> dict[str, bytes]:
    """Drop kept texts whose article is gone (languages the phone does not follow keep old text)."""
    return {
        path: data for path, data in items.items()
        if not path.startswith("text/") or f"article/{path.rsplit('/', 1)[1]}" in items
    }
