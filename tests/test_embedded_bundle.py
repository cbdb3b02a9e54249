"""The bundle committed under assets/ is the content source, signed, and installs."""

import json
import subprocess
import sys

from app.content.source import read_source
from app.content.embedded import ensure_embedded_installed
from tests.factories import installed_items
from app.storage.paths import CONTENT_SOURCE_DIR, EMBEDDED_BUNDLE_DIR, REPO_ROOT
from sync_server.publishing.bundle_builder import source_item_hashes
from sync_server.publishing.repository import published_item_hashes


def test_committed_bundle_is_not_stale_against_its_source():
    source, committed = source_item_hashes(CONTENT_SOURCE_DIR), published_item_hashes(EMBEDDED_BUNDLE_DIR)
    changed = sorted(path for path in source.keys() | committed.keys() if source.get(path) != committed.get(path))
    assert changed == [], "content/ changed since assets/bundle was built: run `make bundle` and commit"


def test_committed_bundle_verifies_against_the_root_the_app_trusts(tmp_path):
    assert ensure_embedded_installed(tmp_path).installed
    installed = {path: json.loads(data) for path, data in installed_items(tmp_path).items()}
    assert installed == read_source(CONTENT_SOURCE_DIR)


def test_export_shows_the_embedded_content_installed(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "app", "export", "--json"], cwd=REPO_ROOT, capture_output=True, text=True,
        env={"SAFE_JOURNEY_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}, check=True,
    )

    data = json.loads(result.stdout)
    source = read_source(CONTENT_SOURCE_DIR)
    assert data["bundle"]["version"] >= 1
    assert {a["id"] for a in data["articles"]} == {p.split("/")[1][:-5] for p in source if p.startswith("article/")}
    assert {c["id"] for c in data["contacts"]} == {p.split("/")[1][:-5] for p in source if p.startswith("contact/")}
    assert len(data["countries"]) == sum(p.startswith("country/") for p in source)
    assert all(a["texts"] for a in data["articles"])


def test_search_command_finds_an_installed_article(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "app", "search", "passport", "--lang", "en", "--country", "my", "--json"],
        cwd=REPO_ROOT, capture_output=True, text=True,
        env={"SAFE_JOURNEY_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}, check=True,
    )

    data = json.loads(result.stdout)
    assert data["country"] == "MY"
    ids = [hit["article_id"] for hit in data["results"]]
    assert "passport-taken" in ids
    assert all("<mark>" in hit["snippet"] or "assport" in hit["title"] for hit in data["results"])
