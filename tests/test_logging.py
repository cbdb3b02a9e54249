"""What failed and why goes to the log; what the person typed never does."""

import os
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app.storage.paths import REPO_ROOT

MARKER = "PX7Q-MARKER-5521"  # typed by the person: an important number and a search

SCRIPT = f"""
import httpx, sys
from app.logging_setup import setup_logging
setup_logging("DEBUG")
from app.runtime import Runtime
from app.state import AppState
from app.storage.paths import data_home
from app.ui import Loaders

runtime = Runtime.open(data_home())
runtime.user.set_setting("important_numbers", {{"passport": "{MARKER}"}})
loaders = Loaders(runtime=runtime, state=AppState())
loaders.search("{MARKER}", "en", 20)
loaders.saved({{}})
with httpx.Client(timeout=5) as client:
    result = runtime.sync_now(client, sys.argv[1], manual=True)
print("STATUS", result.status)
runtime.close()
"""


@pytest.fixture
def broken_server(tmp_path):
    """A real server on loopback whose timestamp is not metadata at all."""
    (tmp_path / "repo" / "metadata").mkdir(parents=True)
    (tmp_path / "repo" / "metadata" / "timestamp.json").write_bytes(b"<<not metadata>>")
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path / "repo"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_sync_failure_is_logged_with_its_cause_and_nothing_typed_is(tmp_path, broken_server):
    env = {**os.environ, "SAFE_JOURNEY_HOME": str(tmp_path / "home"), "PYTHONPATH": str(REPO_ROOT)}
    result = subprocess.run([sys.executable, "-c", SCRIPT, broken_server], cwd=REPO_ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "STATUS failed" in result.stdout  # a file the network mangled: a network failure
    log = result.stderr
    sync_lines = [line for line in log.splitlines() if "app.runtime" in line and "sync failed (mangled)" in line]
    assert sync_lines and "DeserializationError" in sync_lines[0], log  # the cause, not just "failed"
    assert MARKER not in log
