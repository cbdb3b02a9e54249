"""Rotating the online key with the real command: a phone that trusts only the old root
follows the new root and accepts content signed by the new key, without reinstalling."""

import os
import shutil
import subprocess
import sys

from tuf.api.metadata import Metadata

from app.content.fetch import LocalFetcher
from app.content.install import read_installed
from app.content.sync import sync
from app.storage.paths import CONTENT_SOURCE_DIR, REPO_ROOT


def result_version(data):
    return Metadata.from_bytes((data / "repository" / "metadata" / "timestamp.json").read_bytes()).signed.version


def _command(*args):
    subprocess.run([sys.executable, "-m", "sync_server", *args], cwd=REPO_ROOT, check=True, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})


def test_rotate_then_publish_is_followed_by_a_phone(tmp_path):
    keys, data, source, phone = tmp_path / "keys", tmp_path / "server", tmp_path / "content", tmp_path / "phone"
    shutil.copytree(CONTENT_SOURCE_DIR, source)
    phone.mkdir()
    _command("make-keys", "--keys", str(keys))
    # Fresh keys: the repository starts from a new root (what a key ceremony ships in the app).
    _command("publish", "--data", str(data), "--source", str(source), "--keys", str(keys), "--new-root")
    shipped_root = (data / "repository" / "metadata" / "1.root.json").read_bytes()
    online_before = (keys / "online.pem").read_bytes()
    assert sync(phone, LocalFetcher(data / "repository"), trusted_root=shipped_root, languages={"en"}).status == "updated"

    _command("rotate-online-key", "--data", str(data), "--keys", str(keys))
    assert (keys / "online.pem").read_bytes() != online_before
    article = source / "articles" / "not-paid.md"
    article.write_text(article.read_text() + "\nSigned with the new key.\n")
    _command("publish", "--data", str(data), "--source", str(source), "--keys", str(keys))

    result = sync(phone, LocalFetcher(data / "repository"), trusted_root=shipped_root, languages={"en"})
    assert result.status == "updated", result.detail
    state = read_installed(phone)
    assert Metadata.from_bytes(state.metadata["root"]).signed.version == 2
    # Every role of the current version is signed by the new online key, not only those that changed.
    new_online = Metadata.from_bytes((data / "repository" / "metadata" / "2.root.json").read_bytes()).signed.roles["targets"].keyids
    snapshot = Metadata.from_bytes((data / "repository" / "metadata" / f"{result_version(data)}.snapshot.json").read_bytes())
    for name, meta in snapshot.signed.meta.items():
        role = Metadata.from_bytes((data / "repository" / "metadata" / f"{meta.version}.{name}").read_bytes())
        assert set(role.signatures) == set(new_online), name
    # A phone that installs from scratch after the rotation gets everything re-signed.
    fresh = tmp_path / "fresh-phone"
    fresh.mkdir()
    result = sync(fresh, LocalFetcher(data / "repository"), trusted_root=shipped_root, languages=None)
    assert result.status == "updated", result.detail


def test_a_rotation_that_fails_leaves_the_old_key_working(tmp_path):
    keys, data, wrong = tmp_path / "keys", tmp_path / "server", tmp_path / "no-such-server"
    _command("make-keys", "--keys", str(keys))
    _command("publish", "--data", str(data), "--keys", str(keys), "--new-root")
    online_before = (keys / "online.pem").read_bytes()
    failed = subprocess.run([sys.executable, "-m", "sync_server", "rotate-online-key", "--data", str(wrong),
                             "--keys", str(keys)], cwd=REPO_ROOT, capture_output=True, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    assert failed.returncode != 0
    assert (keys / "online.pem").read_bytes() == online_before
    assert sorted(p.name for p in keys.iterdir()) == ["online.pem", "root.pem"]
    _command("publish", "--data", str(data), "--keys", str(keys))  # the repository still trusts it (check=True)
