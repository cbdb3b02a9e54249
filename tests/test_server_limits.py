"""The serving process against hostile clients, over real sockets on loopback: a huge header,
slow half-sent requests and too many connections are each cut off, and every response
carries a Date header (phones use it to spot a wrong clock)."""

import select
import socket
import time
from email.utils import parsedate_to_datetime
from datetime import datetime, timezone

import httpx
import pytest

from sync_server.local_process import serving_process
from tests.factories import sign_bundle

MIB = 1 << 20


@pytest.fixture
def data(tmp_path):
    sign_bundle(tmp_path / "data" / "repository")
    return tmp_path / "data"


def _peak_memory_kib(pid: int) -> int:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def test_an_oversized_header_is_cut_off_with_bounded_memory(data):
    with serving_process(data) as serving:
        assert httpx.get(f"{serving.base}/health").status_code == 200
        before = _peak_memory_kib(serving.process.pid)
        sent = 0
        with socket.create_connection(("127.0.0.1", serving.port), timeout=10) as client:
            client.sendall(b"GET /health HTTP/1.1\r\nHost: phone\r\nX-Big: ")
            try:
                while sent < 64 * MIB:
                    client.sendall(b"a" * MIB)
                    sent += MIB
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server closed the connection: what we want
        grown_mib = (_peak_memory_kib(serving.process.pid) - before) / 1024
        assert sent < 16 * MIB, f"the server kept reading: {sent // MIB} MiB sent"
        assert grown_mib < 16, f"the server grew by {grown_mib:.0f} MiB"
        assert httpx.get(f"{serving.base}/health").status_code == 200


def _closed_by_server(connection: socket.socket) -> bool:
    readable, _, _ = select.select([connection], [], [], 0)
    if not readable:
        return False
    try:
        reply = connection.recv(4096)
    except ConnectionResetError:
        return True
    assert reply == b"" or reply.startswith(b"HTTP/1.1 408"), reply
    return True


@pytest.mark.parametrize("workers", [1, 2])  # the limits reach worker processes too
def test_slow_half_sent_requests_are_dropped_within_the_header_timeout(data, workers):
    with serving_process(data, workers=workers, options=["--header-timeout", "1"]) as serving:
        connections = [socket.create_connection(("127.0.0.1", serving.port), timeout=5) for _ in range(50)]
        start = time.monotonic()
        try:
            for connection in connections:
                connection.sendall(b"GET /health HTTP/1.1\r\nHost: phone\r\n")
            held = set(connections)
            while held and time.monotonic() - start < 15:
                for connection in list(held):
                    if _closed_by_server(connection):
                        held.discard(connection)
                    else:
                        try:
                            connection.sendall(b"X-Drip: 1\r\n")  # a byte now and then buys no time
                        except OSError:
                            held.discard(connection)
                time.sleep(0.2)
            elapsed = time.monotonic() - start
        finally:
            for connection in connections:
                connection.close()
        assert not held, f"{len(held)} of 50 half-sent requests still held after {elapsed:.1f} s"
        assert elapsed < 5, elapsed
        assert httpx.get(f"{serving.base}/health").status_code == 200


def test_connections_past_the_concurrency_limit_are_answered_503(data):
    with serving_process(data, options=["--limit-concurrency", "5"]) as serving:
        idle = [socket.create_connection(("127.0.0.1", serving.port)) for _ in range(5)]
        time.sleep(0.3)  # accepted by the server
        try:
            assert httpx.get(f"{serving.base}/health").status_code == 503
        finally:
            for connection in idle:
                connection.close()
        time.sleep(0.3)
        assert httpx.get(f"{serving.base}/health").status_code == 200


def test_responses_carry_the_servers_date(data):
    with serving_process(data) as serving:
        response = httpx.get(f"{serving.base}/repository/metadata/timestamp.json")
    assert response.status_code == 200
    skew = abs((parsedate_to_datetime(response.headers["date"]) - datetime.now(timezone.utc)).total_seconds())
    assert skew < 60


@pytest.mark.parametrize("head", [
    # Trailer fields after a chunked body were buffered without limit (200 MiB grew the server by 330 MB).
    b"GET /health HTTP/1.1\r\nHost: phone\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\nX-Trailer: ",
    # A body announced and dripped in held the connection past any time limit.
    b"POST /health HTTP/1.1\r\nHost: phone\r\nContent-Length: 1000000000\r\n\r\n",
])
def test_a_request_with_a_body_is_refused_at_once_with_bounded_memory(data, head):
    with serving_process(data) as serving:
        before = _peak_memory_kib(serving.process.pid)
        sent = 0
        with socket.create_connection(("127.0.0.1", serving.port), timeout=10) as client:
            client.sendall(head)
            try:
                while sent < 64 * MIB:
                    client.sendall(b"a" * MIB)
                    sent += MIB
            except (BrokenPipeError, ConnectionResetError):
                pass
            try:
                reply = client.recv(4096)
            except ConnectionResetError:
                reply = b""
        grown_mib = (_peak_memory_kib(serving.process.pid) - before) / 1024
        assert sent < 16 * MIB, f"the server kept reading: {sent // MIB} MiB sent"
        assert grown_mib < 16, f"the server grew by {grown_mib:.0f} MiB"
        assert reply == b"" or reply.startswith(b"HTTP/1.1 413"), reply
        assert httpx.get(f"{serving.base}/health").status_code == 200


def test_an_oversized_head_that_arrives_in_one_read_is_refused_431(data):
    # 20 KiB: past the 16 KiB limit, and small enough that the server reads it all at once.
    head = b"GET /health HTTP/1.1\r\nHost: phone\r\nX-Big: " + b"a" * (20 * 1024) + b"\r\n\r\n"
    with serving_process(data) as serving:
        for _ in range(3):
            with socket.create_connection(("127.0.0.1", serving.port), timeout=10) as client:
                client.sendall(head)
                reply = client.recv(4096)
            assert reply.startswith(b"HTTP/1.1 431"), reply[:80]
        small = httpx.get(f"{serving.base}/health", headers={"X-Small": "a" * 8 * 1024})
        assert small.status_code == 200


def test_a_staff_form_may_be_long_and_the_phone_api_stays_small_each_answered_in_its_words(data, tmp_path):
    """A staff form up to STAFF_FORM_MAX_BYTES reaches the app (a long translation is ~40 KB as a
    form); past it, a page in words. The intake keeps its 16 KiB and its JSON. The log says which."""
    from sync_server.staff.web.limits import STAFF_FORM_MAX_BYTES

    log = tmp_path / "serve.log"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    with open(log, "wb") as output, serving_process(data, output=output) as serving:
        long_form = httpx.post(f"{serving.base}/staff/translations/ne/help-in-au", headers=form,
                               content=b"body=" + b"%E0%A4%A8" * 10_000, timeout=60)
        assert long_form.status_code == 403 and "This form has expired" in long_form.text  # read: no token, no change
        too_long = httpx.post(f"{serving.base}/staff/translations/ne/help-in-au", headers=form,
                              content=b"body=" + b"a" * STAFF_FORM_MAX_BYTES, timeout=60)
        assert too_long.status_code == 413 and too_long.headers["content-type"].startswith("text/html")
        assert "This text is too long to save" in too_long.text and too_long.headers["cache-control"] == "no-store"
        intake = httpx.post(f"{serving.base}/api/requests", content=b"{" + b" " * (17 * 1024) + b"}",
                            headers={"Content-Type": "application/json"}, timeout=60)
        assert intake.status_code == 413 and intake.json()["detail"]["code"] == "too_large"
    written = log.read_text()
    assert written.count("refused a staff form longer than") == 1
    assert written.count("refused an intake request: too_large") == 1
