"""The running app's data side: the installed content, the user's data, and updates.

Route loaders read content through `reading()` (one session per screen); user data
through `user`. Nothing slow to import (TUF, cryptography, Alembic, httpx) is loaded
here until an install, a sync or a schema change needs it.
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from app.content.dto import InstalledContent
from app.content.reader import ContentReader
from app.content.schemas import SOURCE_LANGUAGE
from app.opening import OpenedContent, open_data
from app.storage.problems import StorageNotice, StorageProblem
from app.storage.user_store import UserStore

if TYPE_CHECKING:
    import httpx

    from app.content.fetch import CancelToken, RetryPolicy
    from app.content.freshness import Freshness
    from app.content.integrity import CheckResult
    from app.content.sync import ProgressCallback, SyncResult
    from app.requests_sync import Retry, SendReport

log = logging.getLogger(__name__)

# Seconds after the first screen is sent before the content check starts: the
# browser is still drawing that screen.
WAITING_WORK_DELAY_S = 2.0


@dataclass
class Runtime:
    home: Path
    content_files: OpenedContent
    user: UserStore
    notices: list[StorageNotice] = field(default_factory=list)
    _repair_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _waiting_work_started: threading.Event = field(default_factory=threading.Event, repr=False)
    # Set once the installed rows were compared with their signed items (and repaired): the
    # request key a form is sealed to is then the signed one, never a row edited on the phone.
    _content_checked: threading.Event = field(default_factory=threading.Event, repr=False)

    @classmethod
    def open(cls, home: Path) -> "Runtime":
        """Open the data folder, installing the embedded bundle when needed, whatever
        state the phone's storage is in (see app/opening.py)."""
        opened = open_data(home)
        return cls(home=home, content_files=opened.content, user=opened.user, notices=list(opened.notices))

    @property
    def content(self):
        """The one owner of the installed content (app/storage/content_store.py)."""
        return self.content_files.store

    @contextmanager
    def reading(self) -> Iterator[ContentReader]:
        """One session to read the installed content; one per screen."""
        with self.content.session() as session:
            yield ContentReader(session)

    def installed(self) -> InstalledContent | None:
        with self.reading() as content:
            return content.installed()

    # Updates
    def sync_languages(self) -> set[str]:
        """The phone's UI language, English, and any the user added."""
        extra = set(self.user.setting("extra_languages", []))
        return {self.user.setting("language", SOURCE_LANGUAGE), SOURCE_LANGUAGE} | extra

    def sync_now(
        self, client: httpx.Client, server_url: str, *, manual: bool, network: str = "unknown",
        progress: ProgressCallback | None = None, cancel: CancelToken | None = None,
        known_timestamp: str | None = None, retry: RetryPolicy | None = None,
    ) -> SyncResult:
        """Check the server for newer content and install it; the data-use setting decides.

        `known_timestamp`: the ETag of the timestamp the installed version was checked
        against; if the server still has it (304), that one request is the whole check.
        `cancel.cancel()` (from any thread, e.g. a Cancel button) stops the sync at once."""
        from dataclasses import replace

        from app.content.errors import Reason, SyncFailure
        from app.content.fetch import HttpFetcher
        from app.content.sync import TIMESTAMP_PATH, SyncResult, sync
        from app.content.sync_policy import DEFAULT_DATA_USE, may_sync
        from app.content.update import LIMITS
        from app.storage.paths import TRUSTED_ROOT_FILE, partial_downloads_dir

        installed = self.installed()
        version = installed.version if installed else None
        data_use = self.user.setting("data_use", DEFAULT_DATA_USE.value)
        if not may_sync(data_use, network, manual=manual):
            return SyncResult(Reason.updates_off, version, version, 0)
        home = self.content_files.home
        fetcher = HttpFetcher(client, server_url, partial_dir=partial_downloads_dir(home), cancel=cancel,
                              **({"retry": retry} if retry is not None else {}))
        if known_timestamp and not self.content_freshness().expired(datetime.now(timezone.utc)):
            try:
                if fetcher.unchanged(TIMESTAMP_PATH, known_timestamp, LIMITS.timestamp_max_length):
                    log.info("sync up_to_date: version %s, timestamp unchanged (%d bytes)", version, fetcher.bytes_downloaded)
                    return SyncResult(Reason.up_to_date, version, version, fetcher.bytes_downloaded,
                                      timestamp_etag=known_timestamp)
            except SyncFailure as error:
                log.warning("sync %s: %s", error.reason.value, error.detail)
                return SyncResult(error.reason, version, version, fetcher.bytes_downloaded, error.detail)
        result = sync(home, fetcher, trusted_root=TRUSTED_ROOT_FILE.read_bytes(),
                      languages=self.sync_languages(), progress=progress)
        if result.status in ("updated", "up_to_date"):
            log.info("sync %s: version %s -> %s, %d bytes", result.status, result.from_version,
                     result.to_version, result.bytes_downloaded)
            result = replace(result, timestamp_etag=fetcher.etags.get(TIMESTAMP_PATH))
        else:  # the detail names the failed check or the network error, never the person's data
            log.warning("sync %s (%s): %s", result.status, result.reason.value, result.detail)
        if result.status == "updated":
            # The content file was swapped: every session reads the new one from now on.
            self.content.reload()
        return result

    # Help requests
    def new_request(self, kind: str, data: dict) -> str:
        """Check a form, seal it to the server's key in memory, and keep it in the outbox;
        its local id. Raises FormRefused (naming each field) or NoRequestKey: then nothing
        is saved."""
        from sqlmodel import select

        from app.content.models import Country
        from app.content.request_keys import current_request_key
        from app.help_requests.forms import Kind, route, validate
        from app.help_requests.sealing import seal_form

        if not self._content_checked.is_set():
            self.check_content()  # once per process (~0.2 s); the app runs it after the first screen anyway
        with self.content.session() as session:
            countries = set(session.exec(select(Country.code)).all())
            key = current_request_key(session)
        fields = validate(Kind(kind), data, countries=countries)
        sealed, countries_in_order = seal_form(fields, key), route(Kind(kind), fields)
        del fields  # the plaintext lives no longer than this call
        return self.user.outbox.save(kind=Kind(kind).value, route=countries_in_order,
                                     key_id=sealed.key_id, sealed=sealed.sealed)

    def send_requests(self, client: httpx.Client, server_url: str, *, retry: Retry | None = None) -> SendReport:
        """Send what waits in the outbox, then refresh the statuses of sent requests."""
        from app.requests_sync import Retry, ServerUnreachable, refresh_statuses, send_outbox

        retry = retry or Retry()
        report = send_outbox(self.user.outbox, client, server_url, retry=retry)
        if not report.unreachable:
            try:
                refresh_statuses(self.user.outbox, client, server_url, retry=retry)
            except ServerUnreachable as error:
                log.warning("request statuses not refreshed: %s", error)
        return report

    def last_verified(self) -> datetime | None:
        """When the newest signed timestamp this phone has checked was signed (not when it checked)."""
        return self.content_freshness().verified_at

    def content_freshness(self) -> Freshness:
        """Last verified and the signed expiry: past it, the screens can say the content may be old."""
        with self.reading() as content:
            return content.freshness()

    # Work that waits until a first screen is shown
    def after_first_screen(self) -> None:
        """Start, once, what can wait (the content check), a little after a first screen was sent."""
        if self._waiting_work_started.is_set():
            return
        self._waiting_work_started.set()
        timer = threading.Timer(WAITING_WORK_DELAY_S, self._check_in_background)
        timer.daemon = True
        timer.start()

    def _check_in_background(self) -> None:
        try:
            self.check_content()
        except Exception:  # the app keeps working on what it has; the log says why
            log.exception("content check failed")

    def check_content(self) -> CheckResult:
        """Compare the installed rows with their signed items; repair what differs.

        Run in the background after the first screen: it reads every item (~0.2 s).
        """
        from app.content.integrity import Damage, check_installed

        with self._repair_lock:
            with self.content.session() as session:
                result = check_installed(session)
            if result.damage is Damage.none:
                self._content_checked.set()
                return result
            if self.content.read_only:  # nothing can be written: nothing can be repaired
                log.warning("installed content damaged (%s): %s; storage read-only", result.damage, result.detail)
                return result
            log.warning("installed content damaged (%s): %s; repairing", result.damage, result.detail)
            self._repair(result.damage)
            self.notices.append(StorageNotice(StorageProblem.content_repaired))
            self.content.reload()
            self._content_checked.set()
            return result

    def _repair(self, damage) -> None:
        from app.content.install import reinstall_version
        from app.content.integrity import Damage, installed_as_new_version
        from app.opening import rebuild_from_embedded

        home = self.content_files.home
        if damage is Damage.rows:
            # The signed items are intact: build the same version again from them.
            with self.content.session() as session:
                new = installed_as_new_version(session)
            reinstall_version(home, new, now=datetime.now(timezone.utc))
        else:
            rebuild_from_embedded(home)

    def delete_everything(self) -> None:
        """Erase the person's data and its keys, then start an empty user database: the app is
        back at its first launch; the content stays. Raises app.opening.CouldNotDelete."""
        from app.opening import start_user_data_afresh
        from app.storage.problems import USER_DATA_PROBLEMS

        notices: list[StorageNotice] = []
        self.user = start_user_data_afresh(self.home, self.user, notices)
        self.notices[:] = [n for n in self.notices if n.problem not in USER_DATA_PROBLEMS] + notices

    def close(self) -> None:
        self.content.close()
        self.user.close()
        if self.content_files.temporary is not None:
            self.content_files.temporary.cleanup()
