"""The demo sync server serves a published bundle: in-process and over real HTTP."""

import socket
import subprocess
import sys
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from app.content.bundle_format import consistent_target_name
from app.content.verify import verify_bundle
from app.storage.paths import REPO_ROOT
from sync_server.app import create_app
from tests.factories import sign_bundle

@pytest.fixture
def published(tmp_path):
    _, root = sign_bundle(tmp_path / "data" / "repository")
    return tmp_path / "data", root

def _check_repository(client: httpx.Client, root: bytes, tmp_path):
    assert client.get("/health").json() == {"status": "ok"}
    timestamp = client.get("/repository/metadata/timestamp.json")
    assert timestamp.status_code == 200 and timestamp.headers["cache-control"] == "no-cache"
    targets = client.get("/repository/metadata/1.targets.json")
    assert "immutable" in targets.headers["cache-control"]
    assert client.get("/repository/metadata/../../etc/passwd").status_code == 404
    assert client.get("/repository/metadata/nothing.json").status_code == 404
    # Whatever came over the wire verifies like the original.
    for name in ("timestamp.json", "1.snapshot.json", "1.targets.json", "1.root.json"):
        path = tmp_path / "mirror" / "metadata" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(client.get(f"/repository/metadata/{name}").content)
    return targets.json()

def test_in_process(published, tmp_path):
    data, root = published
    with TestClient(create_app(data / "repository")) as client:
        targets = _check_repository(client, root, tmp_path)
    assert "article/passport-taken.json" in targets["signed"]["targets"]

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def test_over_real_http_on_loopback(published, tmp_path):
    data, root = published
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "sync_server", "serve", "--host", "127.0.0.1", "--port", str(port), "--data", str(data)],
        cwd=REPO_ROOT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"{base}/health", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "sync server did not start"
                time.sleep(0.1)
        with httpx.Client(base_url=base, timeout=5) as client:
            targets = _check_repository(client, root, tmp_path)
            # Download every item over HTTP, then verify the mirror like a phone would.

            for path, info in targets["signed"]["targets"].items():
                name = consistent_target_name(path, info["hashes"]["sha256"])
                response = client.get(f"/repository/targets/{name}")
                assert response.status_code == 200
                out = tmp_path / "mirror" / "targets" / name
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(response.content)
        assert verify_bundle(tmp_path / "mirror", root).version == 1
    finally:
        server.terminate()
        server.wait(timeout=10)
