"""The network lies: decompression bombs, drip-feeds, captive portals, garbled files, frozen
servers and wrong clocks, through the fault proxy on loopback. Each case ends with the
installed content intact and a result that names what happened."""

import subprocess
import sys
import threading
import time
from datetime import timedelta
from email.utils import format_datetime

import httpx
import pytest
from sqlmodel import Session

from app.content.errors import Reason
from app.content.fetch import CancelToken, HttpFetcher, RetryPolicy
from app.content.freshness import read_freshness
from app.content.sync import sync
from app.storage.engines import open_content_engine
from app.storage.paths import REPO_ROOT, content_db, partial_downloads_dir
from sync_server.publishing.repository import Lifetimes
from tests.factories import NOW, sign_bundle, valid_items
from tests.faultproxy import Fault
from tests.test_sync_faults import FAST, _intact, _publish_v2, network  # noqa: F401  (network is a fixture)


def _sync(state, retry=FAST, cancel=None):
    with httpx.Client(timeout=httpx.Timeout(2.0)) as client:
        fetcher = HttpFetcher(client, state["url"], partial_dir=partial_downloads_dir(state["home"]), retry=retry,
                              cancel=cancel)
        return sync(state["home"], fetcher, trusted_root=state["root"], languages={"en", "th"})


def _fails_with(state, fault, reason, retry=FAST):
    before = _intact(state["home"])
    _publish_v2(state)
    state["proxy"].set_fault(fault)
    result = _sync(state, retry)
    assert result.reason == reason, result.detail
    assert _intact(state["home"]) == before
    return result


@pytest.mark.parametrize(
    "fault",
    [
        Fault("redirect", path_contains="timestamp"),
        Fault("status", path_contains="timestamp"),
        Fault("portal", path_contains="snapshot", content_type="Text/HTML; charset=UTF-8"),
        Fault("portal", path_contains="timestamp", content_type="application/json",
              body=b"\r\n<!DOCTYPE html><html><head><title>Wi-Fi</title></head></html>"),
    ],
    ids=["redirect-to-another-host", "511", "uppercase-type", "html-body-json-type"],
)
def test_a_captive_portal_is_named_as_such(network, fault):
    result = _fails_with(network, fault, Reason.captive_portal)
    assert result.status == "failed"


def test_a_redirect_on_the_same_host_is_not_a_portal(network):
    here = network["url"].rsplit("/", 1)[0]
    _fails_with(network, Fault("redirect", path_contains="timestamp", location=f"{here}/elsewhere"), Reason.server_refused)


def test_metadata_garbled_in_transit_is_a_network_fault_not_a_safety_failure(network):
    # The timestamp has no signed hash to check first: a flipped byte makes it unreadable.
    result = _fails_with(network, Fault("corrupt", path_contains="timestamp", at_byte=3, plain=True), Reason.mangled)
    assert result.status == "failed"


DRIP = RetryPolicy(attempts=3, total_seconds=8, wait_initial=0.01, wait_max=0.05, wait_jitter=0.01,
                   read_timeout=3, min_bytes_per_second=64, rate_window_seconds=2)


def test_a_drip_feed_is_given_up_on_within_the_time_a_sync_may_take(network):
    # One byte every half second never trips a read timeout: only a rate check stops it.
    started = time.monotonic()
    _fails_with(network, Fault("drip", path_contains="/targets/", delay_seconds=0.5), Reason.too_slow, DRIP)
    assert time.monotonic() - started < DRIP.total_seconds + DRIP.read_timeout + 2


def test_the_default_policy_gives_up_within_three_minutes_in_all():
    policy = RetryPolicy()
    assert policy.total_seconds + policy.read_timeout < 180
    assert policy.min_bytes_per_second * policy.rate_window_seconds > 1000  # 1 byte / 2 s is far below


def test_cancel_stops_a_sync_stuck_on_a_silent_server_at_once(network):
    _publish_v2(network)
    network["proxy"].set_fault(Fault("stall", path_contains="/targets/", at_byte=10, delay_seconds=60))
    patient = RetryPolicy(attempts=3, total_seconds=120, read_timeout=60)
    cancel, outcome = CancelToken(), {}
    worker = threading.Thread(target=lambda: outcome.update(result=_sync(network, patient, cancel)))
    worker.start()
    time.sleep(2)  # the sync is now blocked reading the stalled download
    pressed = time.monotonic()
    cancel.cancel()
    worker.join(10)
    assert not worker.is_alive()
    assert time.monotonic() - pressed < 2
    assert outcome["result"].reason == Reason.cancelled, outcome["result"].detail
    assert outcome["result"].to_version == 1


# Runs in a child process so its peak memory is its own; the address space is capped so a
# broken build fails this test instead of the machine.
MEMORY_CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
from pathlib import Path
import httpx
from app.content.fetch import HttpFetcher, RetryPolicy
from app.content.sync import sync


def peak_mb():
    # This process's own high-water mark (getrusage's ru_maxrss can carry the parent's over exec).
    status = Path("/proc/self/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1]) // 1024


home, url, root = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]).read_bytes()
with httpx.Client(timeout=10) as client:
    answered = HttpFetcher(client, url).unchanged("metadata/timestamp.json", '"an-old-one"', 16 * 1024)
    fetcher = HttpFetcher(client, url, retry=RetryPolicy(attempts=2, wait_initial=0.01, wait_max=0.02))
    result = sync(home, fetcher, trusted_root=root, languages=None)
print(result.reason.value, answered, peak_mb(), flush=True)
"""


@pytest.mark.parametrize(
    "fault",
    [Fault("bomb", encoding="gzip, gzip"), Fault("bomb", encoding="gzip"),
     Fault("bomb", path_contains="/targets/", encoding="gzip, gzip")],
    ids=["nested-gzip-everywhere", "gzip-everywhere", "nested-gzip-on-packs"],
)
def test_a_decompression_bomb_keeps_a_sync_under_150_mb(network, tmp_path, fault):
    home = tmp_path / "fresh-phone"
    home.mkdir()
    (tmp_path / "root.json").write_bytes(network["root"])
    network["proxy"].set_fault(fault)
    child = subprocess.run([sys.executable, "-c", MEMORY_CHILD, str(home), network["url"], str(tmp_path / "root.json")],
                           cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert child.returncode == 0, child.stderr[-2000:]
    reason, _answered, peak_mb = child.stdout.split()
    assert int(peak_mb) < 150, f"peak {peak_mb} MB"
    assert reason in (Reason.mangled, Reason.refused), reason
    assert not content_db(home).exists()


def test_the_conditional_check_reads_a_capped_amount(network):
    network["proxy"].set_fault(Fault("bomb", encoding="identity", expanded_bytes=1 << 20))  # 1 MB of plain data
    with httpx.Client(timeout=5) as client:
        fetcher = HttpFetcher(client, network["url"])
        assert not fetcher.unchanged("metadata/timestamp.json", '"an-old-one"', 16 * 1024)
        assert fetcher.bytes_downloaded < 16 * 1024 + 70 * 1024, fetcher.bytes_downloaded  # the cap and one read
        network["proxy"].set_fault(None)
        current = client.get(network["url"] + "/metadata/timestamp.json").headers["etag"]
        assert HttpFetcher(client, network["url"]).unchanged("metadata/timestamp.json", current, 16 * 1024)
        assert not HttpFetcher(client, network["url"]).unchanged("metadata/timestamp.json", '"an-old-one"', 16 * 1024)


SHORT = Lifetimes(timestamp=timedelta(days=1), snapshot=timedelta(days=1), targets=timedelta(days=1))


def _expired_v2(state, signed_days_ago=10):
    items = valid_items()
    items["text/en/keep-documents.json"]["body"] = "Signed ten days ago, valid for one."
    sign_bundle(state["data"] / "repository", items, keys=state["keys"], now=NOW - timedelta(days=signed_days_ago),
                lifetimes=SHORT)


def test_a_phone_clock_days_ahead_is_named_not_taken_for_an_attack(network):
    # What the phone sees when its clock runs 10 days fast: a server 10 days "behind".
    _expired_v2(network)
    server_time = format_datetime(NOW - timedelta(days=10) + timedelta(hours=2), usegmt=True)
    network["proxy"].set_fault(Fault("date", path_contains="timestamp", date=server_time))
    result = _sync(network)
    assert result.reason == Reason.clock_skew, result.detail
    assert result.status == "failed" and result.to_version == 1


def test_a_frozen_server_with_a_true_clock_is_still_refused(network):
    _expired_v2(network)
    network["proxy"].set_fault(Fault("date", path_contains="timestamp",
                                     date=format_datetime(NOW, usegmt=True)))
    assert _sync(network).reason == Reason.expired


def test_a_lying_date_cannot_hide_a_frozen_server(network):
    # The Date header is the network's word: it only changes the words, and only if the
    # signed timestamp is valid at that date. Metadata stale even then stays "expired".
    _expired_v2(network, signed_days_ago=30)
    network["proxy"].set_fault(Fault("date", path_contains="timestamp",
                                     date=format_datetime(NOW - timedelta(days=10), usegmt=True)))
    assert _sync(network).reason == Reason.expired


def test_last_verified_is_when_the_timestamp_was_signed_not_when_the_phone_asked(tmp_path):
    data = tmp_path / "server"
    signed = NOW - timedelta(days=3)
    from sync_server.local_process import running_sync_server

    keys, root = sign_bundle(data / "repository", now=signed)
    home = tmp_path / "phone"
    home.mkdir()
    with running_sync_server(data) as base, httpx.Client(timeout=5) as client:
        for expected in ("updated", "up_to_date"):  # the second answer is a replay of the same timestamp
            result = sync(home, HttpFetcher(client, f"{base}/repository"), trusted_root=root, languages=None)
            assert result.status == expected, result.detail
    engine = open_content_engine(content_db(home))
    try:
        with Session(engine) as session:
            freshness = read_freshness(session)
    finally:
        engine.dispose()
    assert freshness.verified_at == signed
    assert freshness.expires_at == signed + timedelta(days=365)
    assert not freshness.expired(NOW) and freshness.expired(signed + timedelta(days=366))


def test_server_time_reaches_the_phone(network):
    with httpx.Client(timeout=5) as client:
        fetcher = HttpFetcher(client, network["url"])
        fetcher.fetch("metadata/timestamp.json", 16 * 1024)
    assert fetcher.clock_offset is not None and abs(fetcher.clock_offset) < timedelta(minutes=1)


def test_a_failed_sync_is_logged_with_its_cause(network, caplog):
    caplog.set_level("WARNING", logger="app.content.sync")
    _fails_with(network, Fault("status", path_contains="timestamp"), Reason.captive_portal)
    (record,) = [r for r in caplog.records if r.name == "app.content.sync"]
    assert "captive_portal" in record.getMessage() and "HTTP 511" in record.getMessage()
