"""The web client's files are compressed once (app/web_compression.py), and never sent stale."""

import gzip
import os

from starlette.staticfiles import StaticFiles
from starlette.testclient import TestClient

from app.web_compression import CompressOnce

ENGINE = b"the engine, which compresses well " * 2000


class CountingFiles:
    """The file server, noting the status of every answer it gives."""

    def __init__(self, directory) -> None:
        self.files = StaticFiles(directory=directory, html=True)
        self.statuses: list[int] = []

    async def __call__(self, scope, receive, send) -> None:
        async def noting(message) -> None:
            if message["type"] == "http.response.start":
                self.statuses.append(message["status"])
            await send(message)

        await self.files(scope, receive, noting)


def _served(tmp_path, **options) -> tuple[TestClient, CountingFiles, CompressOnce]:
    (tmp_path / "main.dart.js").write_bytes(ENGINE)
    (tmp_path / "index.html").write_bytes(b"<html>" + b"the page " * 500 + b"</html>")
    files = CountingFiles(tmp_path)
    once = CompressOnce(files, minimum_size=1024, level=6, **options)
    return TestClient(once), files, once


def _raw(client: TestClient, path: str, **headers):
    """The answer as it went on the wire (still compressed)."""
    with client.stream("GET", path, headers={"Accept-Encoding": "gzip", **headers}) as answer:
        return answer, b"".join(answer.iter_raw())


def test_a_second_visitor_gets_the_same_compressed_file_without_it_being_read_again(tmp_path):
    client, files, _ = _served(tmp_path)
    first, first_wire = _raw(client, "/main.dart.js")
    second, second_wire = _raw(client, "/main.dart.js")
    assert files.statuses == [200, 304]  # the second time the file server only said "unchanged"
    assert second.status_code == 200 and second.headers["content-encoding"] == "gzip"
    assert second_wire == first_wire and gzip.decompress(second_wire) == ENGINE
    assert second.headers["content-length"] == str(len(second_wire))
    assert second.headers["etag"] == first.headers["etag"]


def test_a_file_changed_since_is_sent_new(tmp_path):
    client, files, _ = _served(tmp_path)
    _raw(client, "/main.dart.js")
    changed = b"a newer engine " * 3000
    (tmp_path / "main.dart.js").write_bytes(changed)
    later = os.stat(tmp_path / "main.dart.js").st_mtime + 10
    os.utime(tmp_path / "main.dart.js", (later, later))
    _, wire = _raw(client, "/main.dart.js")
    assert gzip.decompress(wire) == changed
    _, again = _raw(client, "/main.dart.js")
    assert gzip.decompress(again) == changed and files.statuses == [200, 200, 304]


def test_a_browser_holding_a_copy_is_told_it_is_current(tmp_path):
    client, _, _ = _served(tmp_path)
    first, _ = _raw(client, "/main.dart.js")
    answer = client.get("/main.dart.js", headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["etag"]})
    assert answer.status_code == 304 and answer.content == b""


def test_the_page_and_uncompressed_answers_are_never_kept(tmp_path):
    client, files, once = _served(tmp_path)
    for _ in range(2):
        _raw(client, "/")
        assert client.get("/main.dart.js", headers={"Accept-Encoding": "identity"}).content == ENGINE
    assert files.statuses == [200, 200, 200, 200] and once.kept == {}


def test_past_its_limit_it_compresses_each_time_and_still_answers_right(tmp_path):
    client, files, once = _served(tmp_path, max_kept_bytes=100)
    for _ in range(2):
        _, wire = _raw(client, "/main.dart.js")
        assert gzip.decompress(wire) == ENGINE
    assert files.statuses == [200, 200] and once.kept == {}
