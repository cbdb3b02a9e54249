"""The production setup: nginx serves the published repository with the shipped config
(sync_server/deploy/nginx-repository.conf), no Python in the request path. Checked over
real HTTP on loopback: cache headers, what is never served, header limits, and a phone
syncing through it before and after a new version."""

import shutil
import socket
import subprocess

import httpx
import pytest

from app.content.fetch import HttpFetcher, RetryPolicy
from app.content.install import read_installed
from app.content.sync import sync
from sync_server.local_process import free_port, wait_until_answering
from sync_server.paths import PACKAGE_DIR
from tests.factories import sign_bundle, valid_items

NO_WAIT = RetryPolicy(attempts=2, total_seconds=5, wait_initial=0.01, wait_max=0.01, wait_jitter=0)
SHIPPED_CONFIG = PACKAGE_DIR / "deploy" / "nginx-repository.conf"
# nginx.conf around the shipped file: one process, everything in the test's folder.
MAIN_CONFIG = """
daemon off; master_process off; pid {folder}/nginx.pid; error_log {folder}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body; proxy_temp_path {folder}/proxy; fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi; scgi_temp_path {folder}/scgi;
    include {folder}/repository.conf;
}}
"""


def _configure(folder, *, data, port) -> None:
    """The shipped config with its two marked lines pointed at the test's folder and port."""
    config = SHIPPED_CONFIG.read_text()
    for marked, value in (("listen 80;", f"listen 127.0.0.1:{port};"), ("root /srv/safe-journey/data;", f"root {data};")):
        assert config.count(marked) == 1, marked
        config = config.replace(marked, value)
    (folder / "repository.conf").write_text(config)
    (folder / "nginx.conf").write_text(MAIN_CONFIG.format(folder=folder))


@pytest.fixture
def nginx(tmp_path):
    binary = shutil.which("nginx") or "/usr/sbin/nginx"  # `make setup` installs nginx-light
    folder, data, port = tmp_path / "nginx", tmp_path / "data", free_port()
    folder.mkdir()
    data.mkdir()
    _configure(folder, data=data, port=port)
    keys, root = sign_bundle(data / "repository")
    server = subprocess.Popen([binary, "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log")])
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(f"{base}/health", server)
        yield base, data, keys, root
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_cache_headers_and_what_is_never_served(nginx):
    base, data, _, _ = nginx
    (data / "repository" / "metadata" / ".timestamp.json.partial").write_text("half written")
    with httpx.Client(base_url=base, timeout=5) as client:
        timestamp = client.get("/repository/metadata/timestamp.json")
        assert timestamp.status_code == 200 and timestamp.headers["cache-control"] == "no-cache"
        again = client.get("/repository/metadata/timestamp.json", headers={"If-None-Match": timestamp.headers["etag"]})
        assert again.status_code == 304
        assert client.get("/repository/metadata/root.json").headers["cache-control"] == "no-cache"
        snapshot = client.get("/repository/metadata/1.snapshot.json")
        assert snapshot.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert snapshot.headers["content-type"] == "application/json"
        # A resumed download asks for the raw bytes (nginx serves no ranges of gzipped answers).
        part = client.get("/repository/metadata/1.snapshot.json",
                          headers={"Range": "bytes=10-19", "Accept-Encoding": "identity"})
        assert part.status_code == 206 and part.content == snapshot.content[10:20]
        missing = client.get("/repository/metadata/2.root.json")  # asked at every update, until a rotation
        assert missing.status_code == 404 and missing.headers["cache-control"] == "no-store"
        assert client.get("/repository/metadata/.timestamp.json.partial").status_code == 404
        assert client.get("/repository/metadata/../../../etc/passwd").status_code in (400, 404)
        assert client.get("/").status_code == 404


def test_a_huge_header_is_refused(nginx):
    base, _, _, _ = nginx
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
        client.sendall(b"GET /health HTTP/1.1\r\nHost: phone\r\nX-Big: " + b"a" * 64 * 1024 + b"\r\n\r\n")
        assert client.recv(100).startswith(b"HTTP/1.1 400")


def test_a_phone_syncs_through_nginx(nginx, tmp_path):
    base, data, keys, root = nginx
    phone = tmp_path / "phone"
    phone.mkdir()
    with httpx.Client(timeout=10) as client:
        result = sync(phone, HttpFetcher(client, f"{base}/repository", retry=NO_WAIT), trusted_root=root, languages={"en"})
        assert (result.status, result.to_version) == ("updated", 1), result.detail
        changed = valid_items()
        changed["text/en/keep-documents.json"]["title"] = "Keep your papers safe"
        sign_bundle(data / "repository", changed, keys=keys)
        result = sync(phone, HttpFetcher(client, f"{base}/repository", retry=NO_WAIT), trusted_root=root, languages={"en"})
        assert (result.status, result.from_version, result.to_version) == ("updated", 1, 2), result.detail
    assert read_installed(phone).version == 2
