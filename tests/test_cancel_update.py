"""The Cancel button's path (app/actions.py → the background update owner → the Runtime): a
check stuck on a slow server over real loopback HTTP stops at once when cancelled, and the
installed content stays as it was."""

from __future__ import annotations

import hashlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app.background_updates import BackgroundUpdates
from app.content.errors import Reason
from app.runtime import Runtime
from app.storage.paths import content_db


class _SlowServer(BaseHTTPRequestHandler):
    """Starts every answer, then sends nothing more until the test ends (a stalled link)."""

    asked = threading.Event()
    release = threading.Event()

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "4000")
        self.end_headers()
        self.wfile.write(b'{"signed": ')
        self.wfile.flush()
        _SlowServer.asked.set()
        _SlowServer.release.wait(60)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def slow_server():
    _SlowServer.asked.clear()
    _SlowServer.release.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowServer)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/repository"
    _SlowServer.release.set()
    server.shutdown()
    server.server_close()


def test_cancel_stops_a_sync_on_a_slow_server_at_once_and_keeps_the_content(tmp_path, slow_server):
    runtime = Runtime.open(tmp_path / "home")
    try:
        version = runtime.installed().version
        before = hashlib.sha256(content_db(runtime.home).read_bytes()).hexdigest()
        updates, outcome = BackgroundUpdates(lambda: runtime, slow_server), {}
        assert not updates.cancel_current()  # nothing running yet

        def check_now() -> None:
            outcome["result"] = updates.check_now()

        worker = threading.Thread(target=check_now)
        worker.start()
        assert _SlowServer.asked.wait(30), "the sync never reached the server"
        pressed = time.monotonic()
        assert updates.cancel_current()
        worker.join(10)
        assert not worker.is_alive(), "the sync went on after Cancel"
        assert time.monotonic() - pressed < 2
        assert outcome["result"].reason is Reason.cancelled, outcome["result"].detail
        assert runtime.installed().version == version
        assert hashlib.sha256(content_db(runtime.home).read_bytes()).hexdigest() == before
        with runtime.reading() as content:
            assert content.contacts("MY", "en")  # still readable
    finally:
        runtime.close()
