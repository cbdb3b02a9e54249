"""Help requests on the phone: sealed before they touch the disk, sent once whatever the
network does, deleted from the phone once the server has them.

The server is the real intake (`python -m sync_server serve`, tests/real_intake.py) on
loopback, holding the development request key: what it stores is read back and opened with
the same requests store the caseworker pages use.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.__main__ import main
from app.help_requests.forms import Kind
from app.requests_sync import Retry, send_outbox, withdraw
from app.runtime import Runtime
from app.server_address import repository_url, requests_url
from app.storage.outbox import OutboxClosed
from app.storage.paths import content_db
from tests.request_faults import RequestFaultProxy
from tests.real_intake import running_intake, running_intake_with_content
from tests.test_help_request_forms import VALID

REPO = Path(__file__).resolve().parents[1]
FAST = Retry(attempts=6, first_wait=0.01)


@pytest.fixture(scope="module")
def installed_content(tmp_path_factory) -> Path:
    """content.db with the embedded bundle installed, made once and copied into each home."""
    home = tmp_path_factory.mktemp("content")
    Runtime.open(home).close()
    return content_db(home)


@pytest.fixture
def home(tmp_path, installed_content) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(installed_content, content_db(home))
    return home


@pytest.fixture
def runtime(home):
    opened = Runtime.open(home)
    yield opened
    opened.close()


def tracing(marker: str) -> dict:
    return {**VALID[Kind.tracing], "sought_name": f"{marker} sought", "relationship": f"{marker} rel",
            "last_city": f"{marker} city", "employer_or_agency": f"{marker} employer",
            "requester_name": f"{marker} requester", "message": f"{marker} message"}


def _files(home: Path) -> list[Path]:
    return [p for p in home.rglob("*") if p.is_file()]


def _markers_in(home: Path, markers: list[str]) -> list[str]:
    found = []
    for path in _files(home):
        data = path.read_bytes()
        found += [f"{m} in {path.name}" for m in markers if m.encode() in data or m.encode("utf-16-le") in data]
    return found


def _bodies_left(home: Path) -> int:
    with sqlite3.connect(home / "user.db") as connection:
        return connection.execute("SELECT count(*) FROM helprequest WHERE outgoing IS NOT NULL").fetchone()[0]


def test_server_addresses_accept_the_base_and_the_older_repository_form():
    for given in ("http://h:1", "http://h:1/", "http://h:1/repository", "http://h:1/repository/"):
        assert repository_url(given) == "http://h:1/repository/"
        assert requests_url(given) == "http://h:1/api/requests"


def test_no_marker_reaches_the_data_folder_or_the_log(runtime, home, caplog):
    caplog.set_level(logging.DEBUG)
    markers = [f"QZMARK{i}X" for i in range(3)]
    for marker in markers:
        runtime.new_request("tracing", tracing(marker))
    runtime.new_request("safe", {**VALID[Kind.safe], "name": "QZMARKSAFE", "message": "QZMARKSAFE msg"})
    markers.append("QZMARKSAFE")
    assert _files(home) and any(p.name == "user.db-wal" for p in _files(home))
    assert _markers_in(home, markers) == []
    # Nor the countries or phone of a request: the whole row is sealed again with the device key.
    with sqlite3.connect(home / "user.db") as connection:
        rows = b"".join(str(row).encode() for row in connection.execute("SELECT * FROM helprequest"))
    assert b"tracing" not in rows and b'"NP"' not in rows and b"+60" not in rows
    with running_intake(home.parent / "server") as (intake, base):
        with _client() as client:
            assert runtime.send_requests(client, base, retry=FAST).delivered == 4
        opened = json.dumps([r["fields"] for r in intake.requests().values()])
    assert all(marker in opened for marker in markers)  # the server opens what the phone sealed
    assert _markers_in(home, markers) == []
    assert not [r.getMessage() for r in caplog.records if any(m in r.getMessage() for m in markers)]
    assert _bodies_left(home) == 0


def _client():
    import httpx

    return httpx.Client(timeout=httpx.Timeout(5.0), follow_redirects=False)


def test_a_wrong_field_is_refused_by_name_and_nothing_is_saved(home, capsys, monkeypatch):
    monkeypatch.setenv("SAFE_JOURNEY_HOME", str(home))
    form = {**VALID[Kind.tracing], "requester_phone": "12345"}
    del form["last_city"]
    (home / "form.json").write_text(json.dumps(form))
    assert main(["request", "new", "--kind", "tracing", "--json-file", str(home / "form.json")]) == 2
    error = capsys.readouterr().err
    assert "requester_phone:" in error and "last_city:" in error and "sought_name" not in error
    assert main(["request", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_the_command_line_saves_lists_and_cancels_without_showing_contents(home, capsys, monkeypatch):
    monkeypatch.setenv("SAFE_JOURNEY_HOME", str(home))
    (home / "form.json").write_text(json.dumps(VALID[Kind.safe]))
    assert main(["request", "new", "--kind", "safe", "--json-file", str(home / "form.json")]) == 0
    row_id = capsys.readouterr().out.strip()
    assert main(["request", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["kind"], r["status"], r["receipt"]) for r in listed] == [(row_id, "safe", "waiting", None)]
    assert VALID[Kind.safe]["name"] not in json.dumps(listed)
    assert main(["request", "cancel", row_id]) == 0
    assert main(["request", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_a_request_is_frozen_once_sending_starts(runtime):
    row_id = runtime.new_request("safe", VALID[Kind.safe])
    assert runtime.user.outbox.claim(row_id)
    assert not runtime.user.outbox.cancel(row_id)
    assert [s.state for s in runtime.user.outbox.summaries()] == ["sending"]


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once it is closed: every connect is refused


def _card_words(runtime, row_id: str) -> list[str]:
    """The words on a request's card in "My requests", built as the screen builds it."""
    from app.state import AppState
    from app.ui import Loaders
    from app.views.my_requests import request_card

    [row] = [r for r in Loaders(runtime=runtime, state=AppState()).my_requests({}).rows if r.id == row_id]

    def walk(control):
        yield control
        for part in (getattr(control, "content", None), *(getattr(control, "controls", None) or [])):
            if part is not None and not isinstance(part, str):
                yield from walk(part)

    return [c.value if type(c).__name__ == "Text" else c.content for c in walk(request_card(row, "en", None, None))
            if type(c).__name__ in ("Text", "OutlinedButton")]


def test_a_request_the_server_could_not_be_reached_for_waits_and_can_be_cancelled(runtime):
    first = runtime.new_request("tracing", tracing("DOWN1"))
    second = runtime.new_request("tracing", tracing("DOWN2"))
    with _client() as client:
        for _round in range(3):
            report = runtime.send_requests(client, f"http://127.0.0.1:{_closed_port()}", retry=FAST)
            assert report.unreachable and report.left == 2
            # Not one byte left the phone: both wait again, as before the try.
            assert [s.state for s in runtime.user.outbox.summaries()] == ["waiting", "waiting"]
    # The card says so, and offers to cancel (it said "Sending", with no way to cancel, for ever).
    card = _card_words(runtime, first)
    assert card[1:] == ["Waiting to send", card[2], "Your request is saved. It will be sent when you are online.",
                        "Cancel this request"]
    assert runtime.user.outbox.cancel(first)
    assert [s.id for s in runtime.user.outbox.summaries()] == [second]


def test_a_request_that_may_have_reached_the_server_stays_sending_and_is_not_cancellable(runtime):
    import httpx

    def written_then_cut(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadError("the connection was reset after the request was written")

    row_id = runtime.new_request("safe", VALID[Kind.safe])
    with httpx.Client(transport=httpx.MockTransport(written_then_cut)) as client:
        assert send_outbox(runtime.user.outbox, client, "http://server.invalid/repository/", retry=FAST).unreachable
    # The server may hold it: cancelling here could leave an orphan there, so it stays frozen.
    assert [s.state for s in runtime.user.outbox.summaries()] == ["sending"]
    assert not runtime.user.outbox.cancel(row_id)
    # Nor does a later round that cannot connect put it back: it may still be on the server.
    with _client() as client:
        assert runtime.send_requests(client, f"http://127.0.0.1:{_closed_port()}", retry=FAST).unreachable
    assert [s.state for s in runtime.user.outbox.summaries()] == ["sending"]
    assert not runtime.user.outbox.cancel(row_id)


def test_statuses_and_messages_come_back_and_a_request_can_be_withdrawn(runtime, home, caplog):
    caplog.set_level(logging.DEBUG)
    runtime.new_request("contact-me", VALID[Kind.contact_me])
    with running_intake(home.parent / "server") as (intake, base), _client() as client:
        runtime.send_requests(client, base, retry=FAST)
        [sent] = runtime.user.outbox.summaries()
        assert (sent.state, sent.status) == ("sent", "delivered") and sent.receipt in intake.requests()
        assert intake.requests()[sent.receipt]["route"] == ["OM", "PH"]
        proof = runtime.user.outbox.proof(sent.id)  # kept sealed with the receipt: the key it was sent with
        assert proof == intake.proof(sent.receipt)
        intake.set_status(sent.receipt, "in_progress", "We will call you after 9 at night.")
        runtime.send_requests(client, base, retry=FAST)
        [handled] = runtime.user.outbox.summaries()
        assert (handled.status, handled.message) == ("in_progress", "We will call you after 9 at night.")
        assert withdraw(runtime.user.outbox, client, base, sent.receipt.lower()) == "withdrawn"
        assert intake.requests()[sent.receipt]["fields"] is None
        assert runtime.user.outbox.summaries()[0].status == "withdrawn"
    assert not [r.getMessage() for r in caplog.records if proof in r.getMessage()]
    with sqlite3.connect(home / "user.db") as connection:  # sealed with the device key like the receipt
        assert proof.encode() not in b"".join(str(row).encode() for row in connection.execute("SELECT * FROM helprequest"))


def test_a_request_an_older_app_delivered_is_not_asked_about_nor_withdrawn_through_the_server(runtime, home,
                                                                                              monkeypatch):
    """An older app forgot the idempotency key once the request was delivered: without it the
    server answers nothing, so the phone does not ask, and withdrawing says so (NoProof)."""
    from app.requests_sync import NoProof, refresh_statuses
    from app.storage.outbox import SENT

    row_id = runtime.new_request("safe", VALID[Kind.safe])
    with running_intake(home.parent / "server") as (intake, base), _client() as client:
        runtime.send_requests(client, base, retry=FAST)
        [sent] = runtime.user.outbox.summaries()
        outbox = runtime.user.outbox
        # The record as an older app wrote it: the receipt and status, no proof.
        older = {"kind": "safe", "receipt": sent.receipt, "status": "delivered", "updated_at": "", "message": None}
        with sqlite3.connect(home / "user.db") as connection:
            connection.execute("UPDATE helprequest SET receipt = ? WHERE id = ? AND state = ?",
                               (outbox._seal(row_id, "receipt", older), row_id, SENT))
        assert outbox.proof(row_id) is None
        intake.set_status(sent.receipt, "in_progress", "We will call you.")
        assert refresh_statuses(outbox, client, base, retry=FAST) == 0
        with pytest.raises(NoProof):
            withdraw(outbox, client, base, sent.receipt)
        # The screen is told which words to show (not "could not be reached").
        from app.actions import SERVER_ENV, Actions
        from app.state import AppState

        monkeypatch.setenv(SERVER_ENV, base)
        assert Actions(page=None, state=AppState(), runtime=runtime).withdraw_help_request(sent.receipt) == "no_proof"
        assert intake.requests()[sent.receipt]["status"] == "in_progress"  # still there for its caseworker
        assert intake.requests()[sent.receipt]["fields"] is not None
        [kept] = outbox.summaries()
        assert (kept.state, kept.status, kept.receipt) == ("sent", "delivered", sent.receipt)


def test_a_box_the_server_cannot_open_is_kept_and_marked_never_dropped(runtime, home):
    from sync_server.requests.keys import new_request_key

    runtime.new_request("safe", VALID[Kind.safe])
    # The server lost the key the phone sealed to: it holds only a newer one, which its content names.
    server, content = home.parent / "server", home.parent / "server-content"
    content.mkdir()
    entry = new_request_key(server)
    (content / "request_keys.yaml").write_text(entry.to_yaml())
    with running_intake_with_content(server, content) as (intake, base), _client() as client:
        report = runtime.send_requests(client, base, retry=FAST)
        assert (report.delivered, report.refused) == (0, 1)
        assert intake.count() == 0
        [kept] = runtime.user.outbox.summaries()
        assert (kept.state, kept.problem) == ("refused", "bad_seal")
        assert runtime.send_requests(client, base, retry=FAST).refused == 0  # never sent again
        assert runtime.user.outbox.cancel(kept.id)  # the person may remove it


def test_500_requests_made_offline_reach_the_server_once_each_through_a_faulty_network(runtime, home):
    for i in range(500):
        runtime.new_request("tracing", tracing(f"SET{i:03d}"))
    with running_intake(home.parent / "server") as (intake, base), _client() as client:
        proxy = RequestFaultProxy(int(base.rsplit(":", 1)[1]), seed=13)
        try:
            for _round in range(50):
                report = send_outbox(runtime.user.outbox, client, f"http://127.0.0.1:{proxy.port}/repository/",
                                     retry=FAST)
                if not report.left:
                    break
        finally:
            proxy.close()
        held_requests = intake.requests()
    held = sorted(r["fields"]["sought_name"] for r in held_requests.values())
    assert held == sorted(f"SET{i:03d} sought" for i in range(500))  # each once: one row per idempotency key
    assert min(proxy.seen[f] for f in ("drop", "reset_after", "duplicate")) > 30
    assert _bodies_left(home) == 0
    summaries = runtime.user.outbox.summaries()
    assert len({s.receipt for s in summaries}) == 500 and {s.state for s in summaries} == {"sent"}
    assert {s.receipt for s in summaries} == set(held_requests)


KILL_ROUNDS = int(os.environ.get("SAFE_JOURNEY_KILL_ROUNDS", "10"))


def test_killing_the_sync_while_it_sends_loses_and_duplicates_nothing(runtime, home):
    count = 60
    for i in range(count):
        runtime.new_request("tracing", tracing(f"KILL{i:03d}"))
    runtime.close()
    env = {**os.environ, "SAFE_JOURNEY_HOME": str(home)}
    command = [sys.executable, "-m", "app", "sync", "--requests-only", "--json"]
    with running_intake(home.parent / "server") as (intake, base):
        proxy = RequestFaultProxy(int(base.rsplit(":", 1)[1]), seed=7, weights=(0.8, 0.1, 0.1, 0.0))
        server = f"http://127.0.0.1:{proxy.port}"
        killed_mid_send = 0
        try:
            for round_number in range(KILL_ROUNDS):
                before = proxy.forwarded
                process = subprocess.Popen([*command, "--server", server], cwd=REPO, env=env,
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                deadline = time.monotonic() + 30
                while proxy.forwarded == before and process.poll() is None and time.monotonic() < deadline:
                    time.sleep(0.005)  # until this process is sending
                time.sleep(0.01 * (round_number % 5))
                if process.poll() is None:
                    os.kill(process.pid, signal.SIGKILL)
                    killed_mid_send += 1
                process.wait(10)
            finished = subprocess.run([*command, "--server", server], cwd=REPO, env=env, capture_output=True,
                                      text=True, timeout=120)
            held_requests = intake.requests()
        finally:
            proxy.close()
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert killed_mid_send >= KILL_ROUNDS // 2
    held = sorted(r["fields"]["sought_name"] for r in held_requests.values())
    assert held == sorted(f"KILL{i:03d} sought" for i in range(count))
    assert _bodies_left(home) == 0
    reopened = Runtime.open(home)
    try:
        assert {s.receipt for s in reopened.user.outbox.summaries()} == set(held_requests)
    finally:
        reopened.close()


def test_the_background_owner_sends_only_when_data_use_allows(runtime, home):
    from app.background_updates import BackgroundUpdates
    from app.content.sync_policy import Network

    runtime.new_request("safe", VALID[Kind.safe])
    with running_intake(home.parent / "server") as (intake, base):
        owner = BackgroundUpdates(lambda: runtime, f"{base}/repository/", network=Network.mobile)
        owner._automatic_check()  # "Only on Wi-Fi" (the default) on mobile data: nothing goes out
        runtime.user.set_setting("data_use", "never")
        owner.set_network(Network.wifi)
        owner._automatic_check()  # never automatically, even on Wi-Fi
        assert intake.count() == 0 and [s.state for s in runtime.user.outbox.summaries()] == ["waiting"]
        runtime.user.set_setting("data_use", "wifi_only")
        owner._automatic_check()
        assert intake.count() == 1 and [s.status for s in runtime.user.outbox.summaries()] == ["delivered"]


def test_a_request_key_edited_into_content_db_is_never_used(home):
    """Only signed content carries keys: a key row changed on the phone is found and put back
    from the signed items before anything is sealed."""
    from nacl.public import PrivateKey

    from app.content.schemas import request_key_id

    forged = bytes(PrivateKey.generate().public_key)
    with sqlite3.connect(content_db(home)) as connection:
        signed_id = connection.execute("SELECT key_id FROM requestkey").fetchone()[0]
        connection.execute("UPDATE requestkey SET key_id = ?, public_key = ?",
                           (request_key_id(forged), __import__("base64").b64encode(forged).decode()))
    opened = Runtime.open(home)
    try:
        opened.new_request("safe", VALID[Kind.safe])
        [item] = opened.user.outbox.to_send()
        assert item.key_id == signed_id
        with running_intake(home.parent / "server") as (intake, base), _client() as client:
            assert opened.send_requests(client, base, retry=FAST).delivered == 1
            [stored] = intake.requests().values()
            assert stored["fields"]["name"] == VALID[Kind.safe]["name"]  # the server opens it
    finally:
        opened.close()
    with sqlite3.connect(content_db(home)) as connection:
        assert connection.execute("SELECT key_id FROM requestkey").fetchone()[0] == signed_id


def test_a_delivery_recorded_after_delete_everything_brings_nothing_back(runtime, home):
    row_id = runtime.new_request("safe", VALID[Kind.safe])
    outbox = runtime.user.outbox  # as the background sync holds it while it sends
    assert outbox.claim(row_id)
    runtime.delete_everything()
    # The server's answer arrives after the person deleted everything: it is left out.
    outbox.delivered(row_id, kind="safe", receipt="ABCD-EFGH-JKMN-PQRS", proof="p" * 32, status="delivered",
                     updated_at="2026-11-27T00:00:00+00:00")
    outbox.forget_sent_copies()
    # Nor can a tab left open on the old data keep a new request (it would be sealed with gone keys).
    with pytest.raises(OutboxClosed):
        outbox.save(kind="safe", route=["NP"], key_id="0" * 16, sealed=b"sealed")
    with sqlite3.connect(home / "user.db") as connection:
        assert connection.execute("SELECT count(*) FROM helprequest").fetchone()[0] == 0
    assert runtime.user.outbox.summaries() == []
