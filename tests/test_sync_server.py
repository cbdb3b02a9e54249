"""The sync server serves a published repository: in-process and over real HTTP on loopback,
with caching headers a CDN can use, and a phone syncs from it."""

import httpx
import pytest
from fastapi.testclient import TestClient

from app.content.fetch import HttpFetcher, RetryPolicy
from app.content.install import read_installed
from app.content.sync import sync
from sync_server.serving.app import create_app
from sync_server.local_process import running_sync_server
from tests.factories import sign_bundle, valid_items

NO_WAIT = RetryPolicy(attempts=2, total_seconds=5, wait_initial=0.01, wait_max=0.01, wait_jitter=0)


@pytest.fixture
def published(tmp_path):
    keys, root = sign_bundle(tmp_path / "data" / "repository")
    return tmp_path / "data", keys, root


def _check_headers(client: httpx.Client) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    timestamp = client.get("/repository/metadata/timestamp.json")
    assert timestamp.status_code == 200 and timestamp.headers["cache-control"] == "no-cache"
    again = client.get("/repository/metadata/timestamp.json", headers={"If-None-Match": timestamp.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    snapshot = client.get("/repository/metadata/1.snapshot.json")
    assert "immutable" in snapshot.headers["cache-control"]
    part = client.get("/repository/metadata/1.snapshot.json", headers={"Range": "bytes=10-19"})
    assert part.status_code == 206 and part.content == snapshot.content[10:20]
    assert client.get("/repository/metadata/../../../etc/passwd").status_code == 404
    missing = client.get("/repository/metadata/2.root.json")  # asked at every update, until a rotation
    assert missing.status_code == 404 and missing.headers["cache-control"] == "no-store"
    assert client.get("/repository/metadata/nothing.json").status_code == 404


def _sync_and_check(client: httpx.Client, base_url: str, root: bytes, home, data, keys) -> None:
    home.mkdir()
    fetcher = HttpFetcher(client, base_url, retry=NO_WAIT)
    result = sync(home, fetcher, trusted_root=root, languages={"en"})
    assert (result.status, result.to_version) == ("updated", 1), result.detail
    changed = valid_items()
    changed["text/en/keep-documents.json"]["title"] = "Keep your papers safe"
    sign_bundle(data / "repository", changed, keys=keys)
    result = sync(home, HttpFetcher(client, base_url, retry=NO_WAIT), trusted_root=root, languages={"en"})
    assert (result.status, result.from_version, result.to_version) == ("updated", 1, 2), result.detail
    assert read_installed(home).version == 2


def test_in_process(published, tmp_path):
    data, keys, root = published
    with TestClient(create_app(data / "repository")) as client:
        _check_headers(client)
        _sync_and_check(client, "http://testserver/repository", root, tmp_path / "home", data, keys)


def test_over_real_http_on_loopback(published, tmp_path):
    data, keys, root = published
    with running_sync_server(data) as base, httpx.Client(base_url=base, timeout=5) as client:
        _check_headers(client)
        _sync_and_check(client, f"{base}/repository", root, tmp_path / "home", data, keys)
