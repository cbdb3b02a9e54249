"""What the browser is sent around Flet's web client (app/web_client.py), without a browser."""

import shutil
from pathlib import Path

import pytest
from flet_web import get_package_web_dir
from starlette.staticfiles import StaticFiles
from starlette.testclient import TestClient

from app.runtime import Runtime
from app.web_client import FONT_MANIFEST, STARTUP_WORDS, PatchedClient, saved_language_reader

FLET_WEB = Path(get_package_web_dir())


def test_the_page_speaks_the_language_just_chosen_while_the_app_runs(tmp_path):
    runtime = Runtime.open(tmp_path)
    try:
        runtime.user.set_setting("language", "ne")
        runtime.user.set_setting("language", "ur")  # the app keeps its database open, in WAL mode
        assert saved_language_reader(tmp_path)() == "ur"
    finally:
        runtime.close()


def _client(tmp_path, saved: dict) -> TestClient:
    """Flet's page and font manifest and a small engine of each build, behind the middleware."""
    for name in ("index.html", FONT_MANIFEST):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(FLET_WEB / name, tmp_path / name)
    for name, (english, _blank) in STARTUP_WORDS.items():
        (tmp_path / name).write_bytes(b"engine " * 300 + english + b" engine" * 300)
    files = StaticFiles(directory=tmp_path, html=True)
    return TestClient(PatchedClient(files, saved_language=lambda: saved.get("language")))


@pytest.mark.parametrize("path", ["", "main.dart.js", "main.dart.wasm", FONT_MANIFEST])
def test_a_head_request_gives_the_length_of_what_a_get_sends(tmp_path, path):
    client = _client(tmp_path, {"language": "ne"})
    sent = client.get("/" + path)
    assert client.head("/" + path).headers["content-length"] == str(len(sent.content)) == sent.headers["content-length"]


@pytest.mark.parametrize("engine", list(STARTUP_WORDS))
def test_a_range_of_the_engine_is_never_flet_s_english_words(tmp_path, engine):
    client = _client(tmp_path, {})
    whole = client.get("/" + engine)
    start = (tmp_path / engine).read_bytes().index(b"Working")
    part = client.get("/" + engine, headers={"Range": f"bytes={start - 5}-{start + 20}"})
    assert b"Working" not in part.content and part.content == whole.content  # the whole, patched
    assert "accept-ranges" not in part.headers


def test_a_page_cached_in_one_language_is_sent_again_in_the_one_chosen_since(tmp_path):
    saved = {"language": "ne"}
    client = _client(tmp_path, saved)
    first = client.get("/")
    assert first.headers["cache-control"] == "no-cache" and "last-modified" not in first.headers
    assert client.get("/", headers={"If-None-Match": first.headers["etag"]}).status_code == 304
    saved["language"] = "ur"
    again = client.get("/index.html", headers={"If-None-Match": first.headers["etag"],
                                            "If-Modified-Since": "Sat, 01 Jan 2050 00:00:00 GMT"})
    assert again.status_code == 200 and 'var lang="ur"' in again.text


def test_an_engine_cached_before_it_was_patched_is_sent_again(tmp_path):
    client = _client(tmp_path, {})
    flet_own = StaticFiles(directory=tmp_path)
    unpatched = TestClient(flet_own).get("/main.dart.js")
    assert b"Working..." in unpatched.content
    again = client.get("/main.dart.js", headers={"If-None-Match": unpatched.headers["etag"],
                                                 "If-Modified-Since": unpatched.headers["last-modified"]})
    assert again.status_code == 200 and b"Working..." not in again.content
    assert client.get("/main.dart.js", headers={"If-None-Match": again.headers["etag"]}).status_code == 304


def test_a_saved_language_that_is_not_text_reads_as_none_chosen(tmp_path):
    page = _client(tmp_path, {"language": 7}).get("/index.html")
    assert page.status_code == 200 and "var lang=null" in page.text


def test_no_translation_can_end_the_page_s_script(monkeypatch):
    from app import web_client

    page = (FLET_WEB / "index.html").read_text(encoding="utf-8")
    monkeypatch.setattr(web_client, "words_by_language", lambda: {
        "en": {"title": "Safe Journey", "opening": "</script><script>alert(1)</script><!--"}})
    patched = web_client.patched_page(page, None)
    assert "<script>alert(1)" not in patched and "<!--" not in patched.split('id="loading-words"')[1]
