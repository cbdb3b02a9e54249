"""One content update, start to finish: check, download what changed, install.

The network only ever adds: any failure leaves the installed content exactly as it was,
and the result says what happened in words a user understands.
"""

from __future__ import annotations

import errno
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from sqlalchemy.exc import DBAPIError
from tuf.api.exceptions import RepositoryError

from app.content.bundle_format import BIN_BITS, pack_group
from app.content.errors import ContentError
from app.content.fetch import Fetcher, FetchError, TooLarge
from app.content.install import ConcurrentUpdate, NewVersion, install_version, installed_items, read_installed
from app.content.update import (
    KEPT_ROLES,
    RepositoryRefused,
    UpToDate,
    changed_bins,
    fetch_delta,
    fetch_packs,
    refresh,
)
from app.i18n import _
from app.storage.paths import content_db

# Past this share of changed bins, a few large packs cost less than many small items.
FULL_SYNC_SHARE = 0.5
# Room an install needs beyond the download: the new database beside the old one.
DISK_MARGIN_BYTES = 5 * 1024 * 1024


# The outcome of a sync, for the screen and for `python -m app sync --json`.
@dataclass(frozen=True)
class SyncResult:
    status: str  # updated | up_to_date | skipped | failed | refused | no_space
    from_version: int | None
    to_version: int | None
    bytes_downloaded: int
    message: str
    detail: str = ""


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


def _no_space(home: Path, installed: int | None, fetcher: Fetcher, detail: str) -> SyncResult:
    megabytes = max(1, round(_needed_bytes(home) / 1_000_000))
    return SyncResult(
        "no_space", installed, installed, fetcher.bytes_downloaded,
        _("Your phone is almost full. The update needs about {megabytes} MB. "
          "Free some space and try again. Your information is safe.").format(megabytes=megabytes),
        detail,
    )


def sync(
    home: Path,
    fetcher: Fetcher,
    *,
    trusted_root: bytes,
    languages: set[str] | None,
    allow_expired: bool = False,
    full_only: bool = False,
    progress: ProgressCallback | None = None,
    now: datetime | None = None,
) -> SyncResult:
    """Bring the content in `home` up to the repository's newest version."""
    now = now or datetime.now(timezone.utc)
    state = read_installed(home)
    installed = state.version
    try:
        _report(progress, fetcher, "checking")
        remote = refresh(fetcher, trusted_root, state.metadata, allow_expired=allow_expired)
        if installed is not None and remote.version <= installed:
            raise UpToDate()
        if _free_bytes(home) < _needed_bytes(home):
            return _no_space(home, installed, fetcher, "before download")
        bins = None if full_only or installed is None else changed_bins(remote, state.metadata.get("snapshot"))
        counter = {"done": 0}

        def on_item(_path: str) -> None:
            counter["done"] += 1
            _report(progress, fetcher, "downloading", counter["done"])

        if bins is None or len(bins) > FULL_SYNC_SHARE * 2**BIN_BITS:
            fetched, groups = fetch_packs(remote, fetcher, languages, on_item)
            # Languages the phone does not follow keep the text they have.
            kept = installed_items(home, {p for p in state.item_hashes if pack_group(p) not in groups})
            items = {**kept, **fetched}
        else:
            delta = fetch_delta(remote, fetcher, bins, state.item_hashes, languages, on_item)
            items = installed_items(home)
            for path in delta.removed:
                items.pop(path, None)
            items.update(delta.changed)
        items = _without_orphans(items)
        _report(progress, fetcher, "installing", counter["done"], counter["done"])
        metadata = {role: data for role, data in remote.metadata_files.items() if role in KEPT_ROLES}
        new = NewVersion(remote.version, remote.format, remote.created_at, remote.expires_at, items, metadata)
        result = install_version(home, new, now=now, based_on=installed)
    except UpToDate:
        return SyncResult("up_to_date", installed, installed, fetcher.bytes_downloaded,
                          _("Your information is up to date."))
    except TooLarge as error:
        return _refused(installed, fetcher, error.detail)
    except FetchError as error:
        return SyncResult("failed", installed, installed, fetcher.bytes_downloaded, error.message, error.detail)
    except RepositoryRefused as error:
        return _refused(installed, fetcher, str(error))
    except RepositoryError as error:  # every TUF check that failed, expiry included
        return _refused(installed, fetcher, f"{type(error).__name__}: {error}")
    except ContentError as error:
        return _refused(installed, fetcher, f"content: {error}")
    except ConcurrentUpdate as error:
        return SyncResult("failed", installed, installed, fetcher.bytes_downloaded,
                          _("Another update ran at the same time. Try again."), str(error))
    except (OSError, DBAPIError) as error:
        if _disk_full(error):
            return _no_space(home, installed, fetcher, str(error))
        return _failed(installed, fetcher, error)
    except Exception as error:  # noqa: BLE001  the app must never crash on an update; nothing was installed
        return _failed(installed, fetcher, error)
    return SyncResult(
        "updated", result.previous_version, result.version, fetcher.bytes_downloaded,
        _("New information was installed."),
    )


def _disk_full(error: Exception) -> bool:
    if isinstance(error, OSError):
        return error.errno in (errno.ENOSPC, errno.EDQUOT)
    return "full" in str(error).lower()  # SQLite: "database or disk is full"


def _failed(installed: int | None, fetcher: Fetcher, error: Exception) -> SyncResult:
    return SyncResult("failed", installed, installed, fetcher.bytes_downloaded,
                      _("The update could not be installed. Your information is unchanged. Try again later."),
                      f"{type(error).__name__}: {error}")


def _without_orphans(items: dict[str, bytes]) -> dict[str, bytes]:
    """Drop kept texts whose article is gone (languages the phone does not follow keep old text)."""
    return {
        path: data for path, data in items.items()
        if not path.startswith("text/") or f"article/{path.rsplit('/', 1)[1]}" in items
    }


def _refused(installed: int | None, fetcher: Fetcher, detail: str) -> SyncResult:
    if "expired" in detail.lower():
        message = _("The update is out of date, so it was not used. Your information is unchanged. "
                    "It may be a fault or an attack; try again later on another network.")
    else:
        message = _("The update did not pass the safety check, so it was not installed. "
                    "Your information is unchanged.")
    return SyncResult("refused", installed, installed, fetcher.bytes_downloaded, message, detail)
