"""The background update owner, in this process, over real HTTP on loopback: a real sync
server (repository published with the real command) behind a proxy that counts requests."""

from __future__ import annotations

import threading

import pytest

from app.background_updates import BackgroundUpdates
from app.connectivity import network_of
from app.content.errors import Reason
from app.content.sync_policy import CheckSchedule, DataUse, Network, may_sync
from app.runtime import Runtime
from app.storage.paths import CONTENT_SOURCE_DIR
from sync_server.local_process import running_sync_server
from tests.e2e.conftest import publish_content
from tests.faultproxy import Fault, FaultProxy

TIMESTAMP = "/repository/metadata/timestamp.json"
WAIT_S = 60


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A repository published from the real content, served on loopback."""
    data = tmp_path_factory.mktemp("server")
    publish_content(data, CONTENT_SOURCE_DIR)
    with running_sync_server(data) as base:
        yield base


@pytest.fixture
def phone(tmp_path, server):
    """A phone with the embedded content, a counting proxy in front of the server."""
    proxy = FaultProxy(int(server.rsplit(":", 1)[1]))
    runtime = Runtime.open(tmp_path / "phone")
    owners: list[BackgroundUpdates] = []

    def owner(schedule=CheckSchedule(interval=0.3, first_check=0.0), network=Network.wifi) -> BackgroundUpdates:
        updates = BackgroundUpdates(lambda: runtime, f"http://127.0.0.1:{proxy.port}/repository",
                                    network=network, schedule=schedule)
        owners.append(updates)
        return updates

    yield runtime, proxy, owner
    for updates in owners:
        updates.stop()
    proxy.close()
    runtime.close()


class Finished:
    """Counts finished checks (a status whose `checking` went back to False)."""

    def __init__(self, updates: BackgroundUpdates, proxy: FaultProxy) -> None:
        self.requests_at_end: list[int] = []
        self.bytes_at_end: list[int] = []  # both ways
        self.started = threading.Event()
        self._more = threading.Condition()
        self._proxy = proxy
        updates.subscribe(self._heard)

    def _heard(self, status) -> None:
        if status.checking:
            self.started.set()
            return
        with self._more:
            self.requests_at_end.append(len(self._proxy.requests))
            self.bytes_at_end.append(self._proxy.bytes_from_client + self._proxy.bytes_to_client)
            self._more.notify_all()

    def wait_for(self, count: int) -> None:
        with self._more:
            assert self._more.wait_for(lambda: len(self.requests_at_end) >= count, WAIT_S), self.requests_at_end


def test_a_check_that_finds_nothing_new_is_one_conditional_request(phone):
    runtime, proxy, owner = phone
    before = runtime.installed().version
    updates = owner()
    finished = Finished(updates, proxy)
    updates.start()
    finished.wait_for(4)
    updates.stop()
    first, *later = finished.requests_at_end[:4]
    assert runtime.installed().version != before and first > 2  # the first check installed the server's version
    # Each later check: exactly one request, for the timestamp, answered "not modified".
    assert [b - a for a, b in zip(finished.requests_at_end, later)] == [1, 1, 1]
    assert proxy.requests[first:later[-1]] == [TIMESTAMP] * 3
    # Both ways, headers included: at most 330 bytes a check (16 kB a day at 30 minutes).
    sizes = [b - a for a, b in zip(finished.bytes_at_end, finished.bytes_at_end[1:4])]
    assert all(0 < size <= 330 for size in sizes), sizes
    assert updates.status.reached is True and updates.status.checked_at is not None


def test_check_now_joins_the_check_already_running(phone):
    runtime, proxy, owner = phone
    proxy.set_fault(Fault("slow", path_contains="timestamp", bytes_per_second=2_000, delay_seconds=1.0))
    updates = owner(schedule=CheckSchedule(interval=3600, first_check=3600))
    finished = Finished(updates, proxy)
    results = []
    first = threading.Thread(target=lambda: results.append(updates.check_now()))
    first.start()
    assert finished.started.wait(WAIT_S)
    second = updates.check_now()  # while the first is still waiting for the timestamp
    first.join(WAIT_S)
    assert results == [second] and results[0] is second
    assert second.reason == Reason.updated
    assert proxy.requests.count(TIMESTAMP) == 1
    assert len(finished.requests_at_end) == 1


def test_manual_check_runs_when_updates_are_never_automatic(phone):
    runtime, proxy, owner = phone
    runtime.user.set_setting("data_use", DataUse.never.value)
    updates = owner(network=Network.mobile)
    result = updates.check_now()
    assert result.reason == Reason.updated
    assert proxy.requests.count(TIMESTAMP) == 1


def test_stop_ends_a_stalled_check_at_once_and_keeps_the_content(phone):
    runtime, proxy, owner = phone
    before = runtime.installed().version
    proxy.set_fault(Fault("stall", path_contains="timestamp", delay_seconds=60))
    updates = owner()
    finished = Finished(updates, proxy)
    updates.start()
    assert finished.started.wait(WAIT_S)
    updates.stop()  # waits at most a few seconds for the thread: the stalled read is cancelled
    assert not [t for t in threading.enumerate() if t.name == "background-updates"]
    finished.wait_for(1)
    assert runtime.installed().version == before


@pytest.mark.parametrize(
    ("data_use", "network", "manual", "allowed"),
    [
        ("wifi_only", "wifi", False, True),
        ("wifi_only", "mobile", False, False),
        ("wifi_only", "unknown", False, False),  # an unknown network may be paid data
        ("wifi_only", "none", False, False),
        ("any_network", "mobile", False, True),
        ("any_network", "unknown", False, True),
        ("any_network", "none", False, False),
        ("never", "wifi", False, False),
        ("never", "mobile", True, True),  # the person's own tap always runs
        ("wifi_only", "none", True, True),
    ],
)
def test_data_use_decides_automatic_checks(data_use, network, manual, allowed):
    assert may_sync(data_use, network, manual=manual) is allowed


@pytest.mark.parametrize(
    ("failures", "urgent", "jitter", "seconds"),
    [
        (0, False, 0.9, 1800),  # the interval, not jittered
        (0, True, 0.9, 300),  # a notice in force: every 5 minutes
        (1, False, 0.0, 30),  # first retry: half of one minute at the least jitter
        (1, False, 0.999999, 60),
        (2, False, 1.0, 120),
        (5, False, 1.0, 960),
        (6, False, 1.0, 1800),  # never later than the interval
        (40, False, 1.0, 1800),
        (3, True, 1.0, 240),
        (4, True, 1.0, 300),
    ],
)
def test_backoff_doubles_with_jitter_and_stays_within_the_interval(failures, urgent, jitter, seconds):
    assert CheckSchedule().next_delay(failures, urgent=urgent, jitter=jitter) == pytest.approx(seconds, abs=0.01)


@pytest.mark.parametrize(
    ("kinds", "network"),
    [
        (["wifi"], Network.wifi),
        (["ethernet"], Network.wifi),
        (["vpn", "wifi"], Network.wifi),
        (["mobile"], Network.mobile),
        (["vpn", "mobile"], Network.mobile),
        (["vpn"], Network.unknown),
        (["bluetooth"], Network.unknown),
        (["other"], Network.unknown),
        (["none"], Network.none),
        ([], Network.none),
    ],
)
def test_the_phones_connection_types_as_one_network(kinds, network):
    assert network_of(kinds) is network
