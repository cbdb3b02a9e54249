"""First-run install of the embedded bundle: all or nothing, once, never touching user data."""

import hashlib
import shutil
import sqlite3
import subprocess
import threading
import sys

import pytest

from app.content.embedded import ensure_embedded_installed
from app.content.errors import BundleError, Reason
from app.content.fetch import LocalFetcher
from app.content.install import installed_version
from app.content.sync import sync
from app.storage.user_store import UserStore
from app.storage.keys import Keys, StoredKeys
from app.storage.paths import content_db, user_db
from tests.factories import sign_bundle, valid_items


@pytest.fixture
def embedded(tmp_path):
    keys, root = sign_bundle(tmp_path / "bundle")
    (tmp_path / "root.json").write_bytes(root)
    return tmp_path / "bundle", tmp_path / "root.json", keys


def _install(home, embedded):
    bundle_dir, root_file, _ = embedded
    return ensure_embedded_installed(home, bundle_dir=bundle_dir, trusted_root_file=root_file)


def _rows(path, sql):
    with sqlite3.connect(path) as connection:
        return connection.execute(sql).fetchall()


def test_first_run_installs_the_embedded_bundle(tmp_path, embedded):
    home = tmp_path / "home"
    home.mkdir()
    result = _install(home, embedded)
    assert result.installed and result.version == 1 and result.previous_version is None
    assert _rows(content_db(home), "SELECT count(*) FROM articletext") == [(6,)]
    assert _rows(content_db(home), "PRAGMA integrity_check") == [("ok",)]
    assert not content_db(home).with_name("content.db.new").exists()
    assert _rows(content_db(home), "SELECT role FROM trustedmetadata WHERE role = 'root'") == [("root",)]


def test_second_run_is_a_no_op(tmp_path, embedded):
    home = tmp_path / "home"
    home.mkdir()
    _install(home, embedded)
    before = content_db(home).stat().st_mtime_ns, hashlib.sha256(content_db(home).read_bytes()).hexdigest()
    result = _install(home, embedded)
    assert not result.installed and result.version == 1
    after = content_db(home).stat().st_mtime_ns, hashlib.sha256(content_db(home).read_bytes()).hexdigest()
    assert before == after


def test_a_newer_embedded_bundle_replaces_the_old_one(tmp_path, embedded):
    home = tmp_path / "home"
    home.mkdir()
    _install(home, embedded)
    bundle_dir, root_file, keys = embedded
    changed = valid_items()
    changed["text/en/keep-documents.json"]["title"] = "Keep your papers safe"
    sign_bundle(bundle_dir, changed, keys=keys)
    result = _install(home, embedded)
    assert result.installed and (result.previous_version, result.version) == (1, 2)
    titles = _rows(content_db(home), "SELECT title FROM articletext WHERE article_id='keep-documents'")
    assert titles == [("Keep your papers safe",)]


def test_an_older_bundle_never_replaces_a_newer_one(tmp_path, embedded):
    home = tmp_path / "home"
    home.mkdir()
    bundle_dir, root_file, keys = embedded
    newer = tmp_path / "newer"
    shutil.copytree(bundle_dir, newer)
    sign_bundle(newer, keys=keys)
    sign_bundle(newer, keys=keys)
    assert sync(home, LocalFetcher(newer), trusted_root=root_file.read_bytes(), languages=None).to_version == 3
    result = _install(home, embedded)
    assert not result.installed and installed_version(home) == 3


def test_a_corrupted_embedded_bundle_is_refused_with_a_clear_message(tmp_path, embedded):
    home = tmp_path / "home"
    home.mkdir()
    bundle_dir = embedded[0]
    victim = next((bundle_dir / "targets" / "packs").glob("*.common.json"))
    victim.write_bytes(victim.read_bytes().replace(b'"999"', b'"911"'))  # a forged emergency number
    with pytest.raises(BundleError) as error:
        _install(home, embedded)
    assert error.value.reason == Reason.bundle_damaged
    assert not content_db(home).exists()


def test_a_corrupted_newer_bundle_leaves_installed_content_alone(tmp_path, embedded):
    home = tmp_path / "home"
    home.mkdir()
    _install(home, embedded)
    before = hashlib.sha256(content_db(home).read_bytes()).hexdigest()
    bundle_dir, _, keys = embedded
    sign_bundle(bundle_dir, keys=keys)
    for pack in (bundle_dir / "targets" / "packs").glob("*.common.json"):
        pack.write_bytes(b"{}")
    result = _install(home, embedded)
    assert not result.installed and result.version == 1
    assert hashlib.sha256(content_db(home).read_bytes()).hexdigest() == before


def test_a_content_install_never_touches_user_data(tmp_path, embedded):
    home = tmp_path / "home"
    home.mkdir()
    _install(home, embedded)
    user_keys = StoredKeys(device=Keys.new().device, personal=Keys.new().personal)
    user = UserStore.on_disk(user_db(home), user_keys, None)
    user.add_bookmark("passport-taken")
    user.set_setting("language", "th")
    user.close()
    before = hashlib.sha256(user_db(home).read_bytes()).hexdigest()
    bundle_dir, _, keys = embedded
    sign_bundle(bundle_dir, keys=keys)
    assert _install(home, embedded).installed
    assert hashlib.sha256(user_db(home).read_bytes()).hexdigest() == before
    user = UserStore.on_disk(user_db(home), user_keys, None)
    assert user.bookmarks() == ["passport-taken"]
    user.close()


def test_cli_reports_a_damaged_built_in_bundle_in_plain_words(tmp_path):
    # The real embedded bundle, copied and damaged, through the real command line.
    from app.storage.paths import EMBEDDED_BUNDLE_DIR, TRUSTED_ROOT_FILE

    script = (
        "import sys, shutil, pathlib\n"
        "import app.storage.paths as paths\n"
        f"copy = pathlib.Path({str(tmp_path / 'copy')!r})\n"
        f"shutil.copytree({str(EMBEDDED_BUNDLE_DIR)!r}, copy)\n"
        "target = sorted((copy / 'targets' / 'packs').iterdir())[0]\n"
        "target.write_bytes(target.read_bytes()[:-5])\n"
        "paths.EMBEDDED_BUNDLE_DIR = copy  # before the app reads it\n"
        "from app.__main__ import main\n"
        "sys.exit(main(['export', '--json']))\n"
    )
    home = tmp_path / "home"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env={"SAFE_JOURNEY_HOME": str(home), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 2, result.stderr
    assert "damaged" in result.stderr and "reinstall the app" in result.stderr
    assert result.stdout == ""
    assert TRUSTED_ROOT_FILE.exists()


def test_two_syncs_at_once_leave_one_good_version(tmp_path, embedded):
    bundle_dir, root_file, _ = embedded
    home = tmp_path / "home"
    home.mkdir()
    results = []

    def one_sync():
        results.append(sync(home, LocalFetcher(bundle_dir), trusted_root=root_file.read_bytes(), languages=None).status)

    threads = [threading.Thread(target=one_sync) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results).count("updated") >= 1 and set(results) <= {"updated", "up_to_date"}
    assert _rows(content_db(home), "PRAGMA integrity_check") == [("ok",)]
    assert installed_version(home) == 1


def test_an_update_opens_the_installed_database_once(tmp_path, monkeypatch):
    """Each engine open re-runs the schema check: one for the installed file, one for the new one."""
    import app.content.install as install
    from app.content.fetch import LocalFetcher
    from app.content.sync import sync
    from tests.factories import sign_bundle, valid_items

    repository, home = tmp_path / "repository", tmp_path / "phone"
    keys, root = sign_bundle(repository)
    home.mkdir()
    assert sync(home, LocalFetcher(repository), trusted_root=root, languages={"en"}).status == "updated"
    items = valid_items()
    items["text/en/keep-documents.json"]["body"] = "Keep your documents in a plastic bag."
    sign_bundle(repository, items, keys=keys)
    opened: list[str] = []
    real_open = install.open_content_engine
    monkeypatch.setattr(install, "open_content_engine", lambda path: opened.append(path.name) or real_open(path))
    assert sync(home, LocalFetcher(repository), trusted_root=root, languages={"en"}).status == "updated"
    assert sorted(opened) == ["content.db", "content.db.new"]
