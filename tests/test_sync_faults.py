"""Bad networks, through a fault-injecting proxy on loopback: each fault leaves the
installed content intact with a clear status, and a later healthy sync succeeds."""

import hashlib
import random
import sqlite3

import httpx
import pytest

from app.content.errors import Reason
from app.content.fetch import HttpFetcher, RetryPolicy
from app.content.install import read_installed
from app.content.sync import sync
from app.storage.paths import content_db, partial_downloads_dir
from sync_server.local_process import running_sync_server
from tests.factories import sign_bundle, valid_items
from tests.faultproxy import Fault, FaultProxy

FAST = RetryPolicy(attempts=3, total_seconds=20, wait_initial=0.01, wait_max=0.05, wait_jitter=0.01)


@pytest.fixture
def network(tmp_path):
    """A sync server with v1 published, a proxy in front of it, and a phone with v1 installed."""
    data = tmp_path / "server"
    keys, root = sign_bundle(data / "repository")
    with running_sync_server(data) as base:
        proxy = FaultProxy(int(base.rsplit(":", 1)[1]))
        home = tmp_path / "phone"
        home.mkdir()
        state = {"data": data, "keys": keys, "root": root, "home": home, "proxy": proxy,
                 "url": f"http://127.0.0.1:{proxy.port}/repository"}
        assert _sync(state).status == "updated"
        yield state
        proxy.close()


def _sync(state, languages=frozenset({"en", "th"})):
    with httpx.Client(timeout=httpx.Timeout(2.0)) as client:
        fetcher = HttpFetcher(client, state["url"], partial_dir=partial_downloads_dir(state["home"]), retry=FAST)
        return sync(state["home"], fetcher, trusted_root=state["root"], languages=set(languages))


BIG_BODY = random.Random(7).randbytes(30_000).hex()  # 60 kB that gzip cannot shrink much


def _publish_v2(state, big=False):
    items = valid_items()
    items["text/en/keep-documents.json"]["body"] = BIG_BODY if big else "Keep your documents in a plastic bag."
    sign_bundle(state["data"] / "repository", items, keys=state["keys"])


def _intact(home) -> str:
    with sqlite3.connect(content_db(home)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert read_installed(home).version == 1
    return hashlib.sha256(content_db(home).read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("fault", "status"),
    [
        (Fault("reset", path_contains="/targets/", at_byte=40), "failed"),
        (Fault("cut", path_contains="/targets/", at_byte=40), "failed"),
        (Fault("corrupt", path_contains="/targets/", at_byte=60, plain=True), "refused"),
        (Fault("corrupt", path_contains="/targets/", at_byte=60), "failed"),
        (Fault("stall", path_contains="/targets/", at_byte=40, delay_seconds=5), "failed"),
        (Fault("portal"), "failed"),
        (Fault("portal", path_contains="snapshot"), "failed"),
        (Fault("reset", path_contains="timestamp", at_byte=0), "failed"),
    ],
    ids=["reset", "cut", "corrupt", "corrupt-gzip", "stall", "portal", "portal-snapshot", "reset-timestamp"],
)
def test_a_fault_leaves_content_intact_and_a_later_sync_succeeds(network, fault, status):
    before = _intact(network["home"])
    _publish_v2(network)
    network["proxy"].set_fault(fault)
    result = _sync(network)
    assert result.status == status, result.detail
    assert result.to_version == 1
    if fault.kind == "portal":
        assert result.reason == Reason.captive_portal
    if fault.kind == "corrupt":  # garbled compression is the network's doing; a bad hash is refused
        assert result.reason == (Reason.refused if fault.plain else Reason.mangled), result.detail
    assert _intact(network["home"]) == before
    network["proxy"].set_fault(None)
    healed = _sync(network)
    assert (healed.status, healed.to_version) == ("updated", 2), healed.detail


def test_a_slow_link_still_completes(network):
    _publish_v2(network)
    network["proxy"].set_fault(Fault("slow", bytes_per_second=20_000, delay_seconds=0.3))
    result = _sync(network)
    assert (result.status, result.to_version) == ("updated", 2), result.detail


def test_a_dropped_download_resumes_where_it_stopped(network):
    _publish_v2(network, big=True)
    network["proxy"].set_fault(Fault("cut", path_contains="keep-documents", at_byte=6000))
    assert _sync(network).status == "failed"  # every try was cut: nothing installed
    (piece,) = partial_downloads_dir(network["home"]).iterdir()
    kept = piece.stat().st_size
    assert 6000 <= kept < len(BIG_BODY)  # what arrived is kept, tries resumed from it
    network["proxy"].set_fault(None)
    resumed = _sync(network)
    assert resumed.status == "updated"
    assert not list(partial_downloads_dir(network["home"]).iterdir())
    assert resumed.bytes_downloaded < len(BIG_BODY) - kept + 8000  # only the rest, plus metadata


def test_one_transient_fault_is_retried_within_the_same_sync(network):
    _publish_v2(network)
    network["proxy"].set_fault(Fault("reset", path_contains="/targets/", at_byte=10, times=1))
    result = _sync(network)
    assert (result.status, result.to_version) == ("updated", 2), result.detail
    assert network["proxy"].hits == 1


def test_a_whole_piece_left_behind_is_fetched_again_not_resumed(network):
    _publish_v2(network, big=True)
    pieces = partial_downloads_dir(network["home"])
    pieces.mkdir(exist_ok=True)
    # What an attacker (or a cancel at the very end) can leave: a full-length piece that is wrong.
    for name in _v2_target_names(network, "keep-documents"):
        (pieces / name.rsplit("/", 1)[1]).write_bytes(b"x" * len(BIG_BODY) * 2)
    result = _sync(network)
    assert (result.status, result.to_version) == ("updated", 2), result.detail


def _v2_target_names(state, needle):
    return [str(p.relative_to(state["data"] / "repository")) for p in (state["data"] / "repository" / "targets").rglob(f"*{needle}*")]
