"""Over real HTTP, with the real commands: publish v1, the app syncs, an editor changes one
article, publish v2, the app shows the edit."""

import json
import os
import shutil
import subprocess
import sys

from app.storage.paths import CONTENT_SOURCE_DIR, REPO_ROOT
from sync_server.local_process import running_sync_server


def _run(*args, home=None):
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    if home is not None:
        env["SAFE_JOURNEY_HOME"] = str(home)
    result = subprocess.run([sys.executable, *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _article_body(home, article_id):
    exported = json.loads(_run("-m", "app", "export", "--json", home=home))
    (article,) = [a for a in exported["articles"] if a["id"] == article_id]
    return next(t["body"] for t in article["texts"] if t["lang"] == "en"), exported["bundle"]["version"]


def test_publish_sync_edit_publish_sync(tmp_path):
    source, data, home = tmp_path / "content", tmp_path / "server", tmp_path / "phone"
    shutil.copytree(CONTENT_SOURCE_DIR, source)
    _run("-m", "sync_server", "publish", "--data", str(data), "--source", str(source))
    with running_sync_server(data) as base:
        server = f"{base}/repository"
        first = json.loads(_run("-m", "app", "sync", "--server", server, "--json", home=home))
        assert first["status"] == "updated" and first["to_version"] > first["from_version"]
        body, version = _article_body(home, "passport-taken")
        assert "A new sentence from the editor." not in body and version == first["to_version"]

        article = source / "articles" / "passport-taken.md"
        article.write_text(article.read_text() + "\nA new sentence from the editor.\n")
        _run("-m", "sync_server", "publish", "--data", str(data), "--source", str(source))
        second = json.loads(_run("-m", "app", "sync", "--server", server, "--json", home=home))
        assert (second["status"], second["from_version"]) == ("updated", first["to_version"])
        assert second["bytes_downloaded"] < 8000  # one article, not the bundle
        body, version = _article_body(home, "passport-taken")
        assert body.endswith("A new sentence from the editor.") and version == second["to_version"]
        again = json.loads(_run("-m", "app", "sync", "--server", server, "--json", home=home))
        assert again["status"] == "up_to_date"
    hits = json.loads(_run("-m", "app", "search", "editor sentence", "--json", home=home))["results"]
    assert [h["article_id"] for h in hits] == ["passport-taken"]
