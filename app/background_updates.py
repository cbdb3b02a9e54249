"""The one background owner of update checks in an app process; every session shares it.

It also sends the help-request outbox (app/requests_sync.py) after each check, under the
same data-use rules and the same backoff: one owner decides when the phone uses the network.

It checks soon after the app starts (after the first screen, never before it), then at
an interval, sooner while a notice for the person's countries is in force, and backs off
(jittered, doubling) after failures. Automatic checks obey the data-use setting and the
network type; "Check for updates now" always runs, and joins a check already running
instead of starting a second one. A check that finds nothing new is one conditional
request. The thread sleeps on an event between checks: it never spins, and `stop()`
ends it at once (a running download is cancelled; the installed content stays as it was).

Sessions subscribe to its `UpdateStatus`; an install itself reaches them through the
content's owner (app/storage/content_store.py).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Callable

from app.content.errors import Reason
from app.content.sync_policy import DEFAULT_DATA_USE, CheckSchedule, Network, may_sync

if TYPE_CHECKING:
    import httpx

    from app.content.fetch import CancelToken
    from app.content.sync import Progress, SyncResult
    from app.runtime import Runtime

log = logging.getLogger(__name__)

# Where the ETag of the last checked timestamp is kept, with the version it vouches for.
TIMESTAMP_SETTING = "checked_timestamp"
STOP_WAIT_S = 10.0
# An automatic check tries each file a few times only: the owner itself tries again later,
# backing off, so a server that is down costs seconds of radio, not minutes.
AUTOMATIC_ATTEMPTS = 3


# What every session shows about updates (the status line, the Settings button).
@dataclass(frozen=True)
class UpdateStatus:
    checking: bool = False
    reached: bool | None = None  # did the last check reach the server? None: no check yet
    checked_at: datetime | None = None  # when a check last reached the server (phone clock)


class _Check:
    """One running check: others join it and hear its progress."""

    def __init__(self, manual: bool, cancel: CancelToken) -> None:
        self.manual = manual
        self.cancel = cancel
        self.done = threading.Event()
        self.result: SyncResult | None = None
        self.listeners: list[Callable[[Progress], None]] = []


StatusListener = Callable[[UpdateStatus], None]


class BackgroundUpdates:
    def __init__(
        self,
        runtime: Callable[[], Runtime],
        server_url: str | None,
        *,
        network: Network = Network.unknown,
        schedule: CheckSchedule = CheckSchedule(),
        client: Callable[[], httpx.Client] | None = None,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._runtime = runtime
        self.server_url = server_url
        self.schedule = schedule
        self._client = client
        self._jitter = jitter
        self._network = Network(network)
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._current: _Check | None = None
        self._status = UpdateStatus()
        self._listeners: list[StatusListener] = []
        self._failures = 0
        self._requests_failed = False  # the last round of help requests could not reach the server
        self._checked_once = False
        self._due = time.monotonic() + schedule.first_check

    # Life cycle
    def start(self) -> None:
        """Start the owner's thread (once); the first check waits for `schedule.first_check`."""
        with self._lock:
            if self._thread is not None or not self.server_url:
                return
            self._thread = threading.Thread(target=self._loop, name="background-updates", daemon=True)
        self._thread.start()

    def first_screen_sent(self) -> None:
        """The first check waits a little after a first screen, so it never slows it down."""
        with self._lock:
            if self._checked_once or self._current is not None:
                return
            self._due = time.monotonic() + self.schedule.after_first_screen
        self._wake.set()

    def stop(self) -> None:
        """End the thread; a running check is cancelled (nothing half-installed stays)."""
        self._stopping.set()
        with self._lock:
            current = self._current
        if current is not None:
            current.cancel.cancel()
        self._wake.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(STOP_WAIT_S)

    # What sessions use
    @property
    def status(self) -> UpdateStatus:
        with self._lock:
            return self._status

    @property
    def network(self) -> Network:
        return self._network

    def subscribe(self, listener: StatusListener) -> Callable[[], None]:
        """Call `listener` with every new status (from the owner's thread); returns the unsubscribe."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def check_now(self, progress: Callable[[Progress], None] | None = None) -> SyncResult:
        """"Check for updates now": runs whatever the data-use setting (blocks the calling thread)."""
        return self._run_check(manual=True, progress=progress)

    def cancel_current(self) -> bool:
        """The Cancel button: stop the check running now at once; the installed content stays.
        False when no check was running."""
        with self._lock:
            current = self._current
        if current is None:
            return False
        current.cancel.cancel()
        return True

    def set_network(self, network: Network) -> None:
        """The connection changed (phone): when it may now be used, check soon."""
        network = Network(network)
        with self._lock:
            before, self._network = self._network, network
            if before == network:
                return
            self._failures = 0  # a new network: the old one's failures say nothing about it
            self._due = min(self._due, time.monotonic() + self.schedule.after_first_screen)
        log.info("network is now %s", network.value)
        self._wake.set()

    def settings_changed(self) -> None:
        """The data-use setting changed: decide again now, not at the next interval."""
        with self._lock:
            self._due = min(self._due, time.monotonic() + self.schedule.after_first_screen)
        self._wake.set()

    # The owner's thread
    def _loop(self) -> None:
        while not self._stopping.is_set():
            with self._lock:
                wait = self._due - time.monotonic()
            if wait > 0:
                self._wake.wait(wait)  # sleeps: no spinning, woken by stop() or a change
                self._wake.clear()
                continue
            try:
                self._automatic_check()
            except Exception:  # the owner must outlive any one check; the log says why
                log.exception("background update check failed")
                self._schedule(failed=True, urgent=False)

    def _automatic_check(self) -> None:
        runtime = self._runtime()
        data_use = runtime.user.setting("data_use", DEFAULT_DATA_USE.value)
        if not may_sync(data_use, self._network, manual=False):
            log.info("automatic check held back by the data-use setting (network: %s)", self._network.value)
            self._schedule(failed=False, urgent=False)
            return
        self._run_check(manual=False)

    # One check, whoever asked for it
    def _run_check(self, *, manual: bool, progress: Callable[[Progress], None] | None = None) -> SyncResult:
        from app.content.fetch import CancelToken

        with self._lock:
            check, joined = self._current, self._current is not None
            if check is None:
                check = self._current = _Check(manual, CancelToken())
                self._status = replace(self._status, checking=True)
            if progress is not None:
                check.listeners.append(progress)
        if joined:
            check.done.wait()
            return check.result
        self._announce()
        result = None
        try:
            result = self._sync(check)
        finally:
            if result is None:  # an unexpected error: the owner goes on, the log has it
                from app.content.sync import SyncResult

                result = SyncResult(Reason.install_failed, None, None, 0, "unexpected error")
            self._finish(check, result)
        return result

    def _sync(self, check: _Check) -> SyncResult:
        runtime = self._runtime()
        if not self.server_url:
            from app.content.sync import SyncResult

            return SyncResult(Reason.updates_off, None, None, 0, "no server set up")

        def report(progress: Progress) -> None:
            for listener in list(check.listeners):
                try:
                    listener(progress)
                except Exception:  # a closed session: the others still hear
                    log.exception("a progress listener failed")

        from app.content.fetch import RetryPolicy

        known = None if check.manual else self._known_timestamp(runtime)
        retry = None if check.manual else RetryPolicy(attempts=AUTOMATIC_ATTEMPTS)
        with self._http_client() as client:
            result = runtime.sync_now(client, self.server_url, manual=check.manual, network=self._network,
                                      progress=report, cancel=check.cancel, known_timestamp=known, retry=retry)
            self._send_requests(runtime, client)
        if result.status in ("updated", "up_to_date") and result.timestamp_etag:
            runtime.user.set_setting(TIMESTAMP_SETTING, {"version": result.to_version, "etag": result.timestamp_etag})
        return result

    def _send_requests(self, runtime: Runtime, client: httpx.Client) -> None:
        """Send waiting help requests and refresh statuses: part of a check, so under the same
        data-use rules (an automatic check held back sends nothing either)."""
        try:
            self._requests_failed = runtime.send_requests(client, self.server_url).unreachable
        except Exception:  # the owner outlives any one round; the log says why (never what was sent)
            log.exception("sending help requests failed")
            self._requests_failed = True

    def requests_waiting(self) -> None:
        """A help request was just saved: try to send it soon, not at the next interval."""
        self.settings_changed()

    def _finish(self, check: _Check, result: SyncResult) -> None:
        reached = result.status in ("updated", "up_to_date", "refused")
        failed = result.status not in ("updated", "up_to_date", "skipped") or self._requests_failed
        self._requests_failed = False
        urgent = not failed and self._notice_in_force()
        with self._lock:
            self._current = None
            self._checked_once = True
            now = datetime.now(timezone.utc)
            self._status = UpdateStatus(
                checking=False,
                reached=reached if result.reason != Reason.updates_off else self._status.reached,
                checked_at=now if reached else self._status.checked_at,
            )
        self._schedule(failed=failed and result.reason != Reason.cancelled, urgent=urgent)
        check.result = result
        check.done.set()
        self._announce()

    def _schedule(self, *, failed: bool, urgent: bool) -> None:
        with self._lock:
            self._failures = self._failures + 1 if failed else 0
            delay = self.schedule.next_delay(self._failures, urgent=urgent, jitter=self._jitter())
            self._due = time.monotonic() + delay
        if failed:
            log.info("next update check in %.0f s (failure %d)", delay, self._failures)
        self._wake.set()

    def _announce(self) -> None:
        with self._lock:
            status, listeners = self._status, list(self._listeners)
        for listener in listeners:
            try:
                listener(status)
            except Exception:  # one closed session must not stop the others hearing
                log.exception("an update status listener failed")

    # Helpers
    def _http_client(self) -> httpx.Client:
        if self._client is not None:
            return self._client()
        import httpx  # only when the network is used: keeps the first screen fast

        client = httpx.Client(timeout=httpx.Timeout(20.0, connect=5.0), follow_redirects=False)
        # Headers the server never reads, sent at every check: about 70 bytes each time.
        # (HTTP/1.1 keeps connections alive without being asked.)
        for name in ("user-agent", "accept", "connection"):
            del client.headers[name]
        return client

    def _known_timestamp(self, runtime: Runtime) -> str | None:
        """The ETag last checked, if it vouches for the version installed now (not after a repair)."""
        kept = runtime.user.setting(TIMESTAMP_SETTING, None)
        installed = runtime.installed()
        if not isinstance(kept, dict) or installed is None or kept.get("version") != installed.version:
            return None
        return kept.get("etag")

    def _notice_in_force(self) -> bool:
        """A notice for the person's countries is in force: a newer one may follow soon."""
        try:
            runtime = self._runtime()
            countries = [c for c in (runtime.user.setting("country"), runtime.user.setting("origin")) if c]
            with runtime.reading() as content:
                return bool(content.active_notices([c.upper() for c in countries], "en", date.today()))
        except Exception:  # never let this stop the schedule
            log.exception("could not read the notices in force")
            return False
