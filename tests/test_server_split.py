"""What serves never signs: a real `serve` process, watched by an audit hook while a phone
syncs from it over loopback HTTP, imports no signing code and opens no key file. The
publisher is its own process: it starts from the root the app ships and keeps publishing."""

import os
import shutil
import subprocess
import sys
import time
from importlib.util import find_spec
from pathlib import Path

import httpx
from tuf.api.metadata import Metadata

from app.content.fetch import HttpFetcher, RetryPolicy
from app.content.install import read_installed
from app.content.sync import sync
from app.storage.paths import CONTENT_SOURCE_DIR, TRUSTED_ROOT_FILE
from sync_server.local_process import serving_process
from sync_server.paths import DEV_KEY_DIR, REPO_ROOT
from tests.factories import sign_bundle

NO_WAIT = RetryPolicy(attempts=2, total_seconds=5, wait_initial=0.01, wait_max=0.01, wait_jitter=0)

# Runs `python -m sync_server ARGS` with an audit hook that writes to the log named by the
# first argument every file the process opens (keys, and the .py/.pyc of every module it
# loads, however it is imported: uvicorn loads the app with importlib).
WATCHED = """
import os, runpy, sys
log = open(sys.argv[1], "a", buffering=1)
def watch(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        log.write(os.path.realpath(os.fsdecode(args[0])) + "\\n")
sys.addaudithook(watch)
sys.argv = ["sync_server", *sys.argv[2:]]
runpy.run_module("sync_server", run_name="__main__", alter_sys=True)
"""


def _package_dir(name: str) -> Path:
    return Path(find_spec(name).origin).resolve().parent


def _never_in_serve() -> dict[str, Path]:
    """Where signing code, key handling and the client live: serve may open nothing there. Of the
    phone's code only the content domain (app/content: the one schema per item kind the staff
    pages check edits with) may be loaded, never its screens, words, storage or sync."""
    places = {name: _package_dir(name) for name in ("cryptography", "securesystemslib", "tuf", "flet")}
    client = {f"app/{entry.name}": entry for entry in (REPO_ROOT / "app").iterdir()
              if entry.name not in ("content", "__init__.py", "__pycache__")}
    return {**places, **client, "sync_server.publishing": REPO_ROOT / "sync_server" / "publishing"}


def _source(path: Path) -> Path:
    """A module's source for its cached bytecode (app/__pycache__/i18n.cpython-311.pyc → app/i18n.py)."""
    if path.parent.name == "__pycache__":
        return path.parent.parent / (path.name.split(".")[0] + ".py")
    return path


def _opened(log: Path) -> list[Path]:
    return [_source(Path(line)) for line in log.read_text().splitlines()]


def _opened_in(opened: list[Path], places: dict[str, Path]) -> set[str]:
    return {name for path in opened for name, place in places.items() if path.is_relative_to(place)}


def test_serve_never_imports_signing_code_nor_opens_a_key(tmp_path):
    data, log = tmp_path / "data", tmp_path / "audit.log"
    _, root = sign_bundle(data / "repository")
    with serving_process(data, launcher=(sys.executable, "-c", WATCHED, str(log))) as serving, \
            httpx.Client(base_url=serving.base, timeout=5) as client:
        (tmp_path / "phone").mkdir()
        result = sync(tmp_path / "phone", HttpFetcher(client, f"{serving.base}/repository", retry=NO_WAIT),
                      trusted_root=root, languages={"en"})
        assert (result.status, result.to_version) == ("updated", 1), result.detail
    opened = _opened(log)
    # The hook saw the server load its own code...
    assert _opened_in(opened, {"serving": REPO_ROOT / "sync_server" / "serving", "uvicorn": _package_dir("uvicorn")}) \
        == {"serving", "uvicorn"}
    # ...and nothing that signs, and no key.
    assert _opened_in(opened, _never_in_serve()) == set()
    assert [path for path in opened if path.suffix == ".pem"] == []


def test_the_publisher_signs_without_the_client_ui(tmp_path):
    """The same hook on `publish` sees the signing code and the key it opens (so it would
    see them in `serve`), and no Flet: the server side never loads the phone's UI."""
    log = tmp_path / "audit.log"
    subprocess.run([sys.executable, "-c", WATCHED, str(log), "publish", "--data", str(tmp_path / "data")],
                   cwd=REPO_ROOT, check=True, capture_output=True)
    opened = _opened(log)
    assert {"sync_server.publishing", "cryptography", "tuf"} <= _opened_in(opened, _never_in_serve())
    assert DEV_KEY_DIR / "online.pem" in opened
    client_ui = {"flet": _package_dir("flet"), "app.views": REPO_ROOT / "app" / "views", "app.i18n": REPO_ROOT / "app" / "i18n.py"}
    assert _opened_in(opened, client_ui) == set()


def _timestamp_version(data) -> int:
    path = data / "repository" / "metadata" / "timestamp.json"
    return Metadata.from_bytes(path.read_bytes()).signed.version if path.exists() else 0


def _wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the publisher did not get there in time"
        time.sleep(0.2)


def test_publisher_process_starts_from_the_shipped_root_and_publishes_edits(tmp_path):
    data, source = tmp_path / "data", tmp_path / "content"
    shutil.copytree(CONTENT_SOURCE_DIR, source)
    publisher = subprocess.Popen(
        [sys.executable, "-m", "sync_server", "publisher", "--data", str(data), "--source", str(source),
         "--interval", "0.2"], cwd=REPO_ROOT, env={**os.environ, "SAFE_JOURNEY_ENV": ""})
    try:
        _wait_for(lambda: _timestamp_version(data) > 0)
        # No root of its own: the repository starts from the one the app ships.
        assert (data / "repository" / "metadata" / "root.json").read_bytes() == TRUSTED_ROOT_FILE.read_bytes()
        first = _timestamp_version(data)
        time.sleep(1)  # several rounds with nothing to do sign nothing new
        assert _timestamp_version(data) == first
        article = source / "articles" / "not-paid.md"
        article.write_text(article.read_text() + "\nPublished by the publisher process.\n")
        _wait_for(lambda: _timestamp_version(data) > first)
    finally:
        publisher.terminate()
        publisher.wait(timeout=10)
    with serving_process(data) as serving, httpx.Client(timeout=10) as client:
        phone = tmp_path / "phone"
        phone.mkdir()
        result = sync(phone, HttpFetcher(client, f"{serving.base}/repository", retry=NO_WAIT),
                      trusted_root=TRUSTED_ROOT_FILE.read_bytes(), languages={"en"})
        assert result.status == "updated", result.detail
        assert read_installed(phone).version == _timestamp_version(data)
