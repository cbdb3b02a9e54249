"""Sealed user data on a phone whose storage fails, or whose app is killed, not closed.

A damaged file is not a lost key, and a lost key is not a damaged file: each case here
is told apart by what the files on disk say, and the person's values are never
overwritten by ones sealed with other keys.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3

import pytest
from sqlmodel import create_engine

from app.emergency_fallback import saved_setting
from app.runtime import Runtime
from app.storage import migrate, sealed_format
from app.storage.keys import FileKeyStore, create_keys, load_keys
from app.storage.paths import user_db, user_key_file
from app.storage.problems import StorageProblem

PASSPORT = "PX7Q-PASSPORT-4417"


def _problems(runtime) -> list[StorageProblem]:
    return [n.problem for n in runtime.notices]


def _snapshot(home) -> dict[str, str]:
    """What the files hold (a read-only open may add an empty log and its index)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in home.iterdir()
            if p.is_file() and p.name != "user.db-shm" and (p.name != "user.db-wal" or p.stat().st_size)}


def _older_versions_plain_db(home):
    """A user.db as a version that sealed nothing wrote it."""
    home.mkdir()
    path = user_db(home)
    engine = create_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, migrate.USER)
    engine.dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("INSERT INTO setting VALUES ('important_numbers', ?)", (json.dumps({"passport": PASSPORT}),))
        connection.execute("INSERT INTO setting VALUES ('country', '\"MY\"')")
        connection.executemany("INSERT INTO bookmark VALUES (?, '2026-11-20 00:00:00')",
                               [(f"article-{i:04d}-{'x' * 40}",) for i in range(300)])
    connection.close()
    return path


@pytest.mark.parametrize("harm", ["cut short", "garbled header"])
def test_an_older_versions_damaged_database_is_salvaged_not_taken_for_a_lost_key(tmp_path, harm):
    home = tmp_path / "home"
    path = _older_versions_plain_db(home)
    data = path.read_bytes()
    path.write_bytes(data[:-4096] if harm == "cut short" else b"\0" * 16 + data[16:])
    runtime = Runtime.open(home)
    try:
        assert StorageProblem.keys_lost not in _problems(runtime)
        assert not runtime.user.in_memory
        runtime.user.set_setting("country", "TH")
    finally:
        runtime.close()
    assert list(home.glob("user.db.damaged-*"))  # kept for recovery, as before sealing
    again = Runtime.open(home)
    try:
        assert _problems(again) == []
        assert again.user.setting("country") == "TH"  # saved, and opened on the next launch
    finally:
        again.close()


def test_a_damaged_key_file_with_nothing_sealed_is_moved_aside_and_new_keys_made(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    user_key_file(home).write_bytes(b"{")  # a first launch cut short while writing its keys
    runtime = Runtime.open(home)
    try:
        assert _problems(runtime) == []
        assert not runtime.user.in_memory
        runtime.user.set_setting("important_numbers", {"passport": PASSPORT})
    finally:
        runtime.close()
    assert [p.read_bytes() for p in home.glob("user.key.damaged-*")] == [b"{"]
    again = Runtime.open(home)
    try:
        assert _problems(again) == []
        assert again.user.setting("important_numbers") == {"passport": PASSPORT}
    finally:
        again.close()


def test_a_lost_key_is_noticed_when_every_sealed_write_is_still_in_the_write_ahead_log(tmp_path):
    home, killed = tmp_path / "home", tmp_path / "killed"
    runtime = Runtime.open(home)
    try:
        runtime.user.set_setting("important_numbers", {"passport": PASSPORT})
        runtime.user.add_bookmark("passport-taken")
        # The app is killed here: its files as they are now, the log never checkpointed.
        killed.mkdir()
        for name in ("content.db", "user.db", "user.db-wal"):
            shutil.copyfile(home / name, killed / name)
    finally:
        runtime.close()
    assert (killed / "user.db-wal").stat().st_size > 0
    assert b"sj1." not in (killed / "user.db").read_bytes()  # all of it is in the log
    assert sealed_format.is_marked_sealed(user_db(killed))  # and the log says so
    before = _snapshot(killed)
    reopened = Runtime.open(killed)  # ... and user.key did not survive
    try:
        assert StorageProblem.keys_lost in _problems(reopened)
        assert reopened.user.in_memory
        reopened.user.set_setting("important_numbers", {"passport": "RETYPED"})
    finally:
        reopened.close()
    assert not user_key_file(killed).exists()  # no new key that could never open the old values
    assert _snapshot(killed) == before


def test_two_first_launches_at_once_end_with_one_key_file(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    store = FileKeyStore(user_key_file(home))
    assert load_keys(store) is None  # the first launch finds no keys and is about to make some
    other = Runtime.open(home)  # meanwhile a second one makes its keys and saves with them
    try:
        other.user.set_setting("important_numbers", {"passport": PASSPORT})
    finally:
        other.close()
    keys = create_keys(store)  # the first launch goes on
    assert keys == load_keys(store)
    runtime = Runtime.open(home)
    try:
        assert runtime.user.setting("important_numbers") == {"passport": PASSPORT}
    finally:
        runtime.close()


def test_keys_of_another_database_open_nothing_and_overwrite_nothing(tmp_path):
    home, other = tmp_path / "home", tmp_path / "other"
    runtime = Runtime.open(home)
    runtime.user.set_setting("country", "MY")
    runtime.user.set_setting("important_numbers", {"passport": PASSPORT})
    runtime.close()
    Runtime.open(other).close()
    shutil.copyfile(user_key_file(other), user_key_file(home))  # a mixed-up restore
    before = _snapshot(home)
    wrong = Runtime.open(home)
    try:
        assert StorageProblem.keys_lost in _problems(wrong)
        assert wrong.user.in_memory
        wrong.user.set_setting("important_numbers", {"passport": "RETYPED"})  # into the empty form
    finally:
        wrong.close()
    assert _snapshot(home) == before


@pytest.mark.parametrize("stored", ["sj1.", "sj1", "sk1.d.AAAA"])
def test_a_value_cut_short_or_garbled_reads_as_unset_everywhere(tmp_path, stored):
    home = tmp_path / "home"
    runtime = Runtime.open(home)
    runtime.user.set_setting("country", "MY")
    runtime.user.set_setting("language", "ne")
    runtime.close()
    with sqlite3.connect(user_db(home)) as connection:
        connection.execute("UPDATE setting SET value = ? WHERE key = 'country'", (stored,))
    connection.close()
    for _launch in (1, 2):
        reopened = Runtime.open(home)
        try:
            assert reopened.user.setting("country", "none") == "none"
            assert reopened.user.setting("language") == "ne"
        finally:
            reopened.close()
    assert saved_setting(home, "country") is None  # the error screen shows every country's numbers
    assert saved_setting(home, "language") == "ne"


def test_a_saved_article_that_does_not_open_leaves_the_others_and_is_named(tmp_path):
    home = tmp_path / "home"
    runtime = Runtime.open(home)
    for article_id in ("passport-taken", "arrested-or-detained", "salary-not-paid"):
        runtime.user.add_bookmark(article_id)
    runtime.close()
    with sqlite3.connect(user_db(home)) as connection:
        stored = connection.execute("SELECT article_id FROM bookmark ORDER BY created_at LIMIT 1").fetchone()[0]
        flipped = stored[:-3] + ("A" if stored[-3] != "A" else "B") + stored[-2:]
        connection.execute("UPDATE bookmark SET article_id = ? WHERE article_id = ?", (flipped, stored))
    connection.close()
    reopened = Runtime.open(home)
    try:
        assert StorageProblem.bookmarks_lost in _problems(reopened)
        assert sorted(reopened.user.bookmarks()) == ["arrested-or-detained", "salary-not-paid"]
        reopened.user.remove_bookmark("salary-not-paid")
        reopened.user.add_bookmark("passport-taken")
        assert sorted(reopened.user.bookmarks()) == ["arrested-or-detained", "passport-taken"]
    finally:
        reopened.close()


def test_a_busy_database_is_busy_not_damaged(tmp_path):
    home = tmp_path / "home"
    path = _older_versions_plain_db(home)
    other = sqlite3.connect(path)  # another instance of the app, in the middle of a write
    other.execute("PRAGMA journal_mode=WAL")
    other.execute("INSERT INTO bookmark VALUES ('passport-taken', '2026-11-21 00:00:00')")
    other.commit()
    other.execute("BEGIN IMMEDIATE")
    try:
        runtime = Runtime.open(home)
        try:
            assert not list(home.glob("user.db.damaged-*"))
            assert StorageProblem.cannot_save in _problems(runtime)
            assert "passport-taken" in runtime.user.bookmarks()  # its last write included
            assert runtime.user.setting("important_numbers") == {"passport": PASSPORT}
        finally:
            runtime.close()
    finally:
        other.rollback()
        other.close()


def test_database_errors_never_carry_the_values_into_the_log(tmp_path):
    from app.storage.engines import open_content_engine, open_user_engine, open_user_engine_in_memory

    engines = [open_user_engine(tmp_path / "user.db"), open_user_engine_in_memory(),
               open_content_engine(tmp_path / "content.db")]
    for engine in engines:
        with pytest.raises(Exception) as raised, engine.connect() as connection:
            connection.exec_driver_sql("SELECT * FROM no_such_table WHERE value = ?", (PASSPORT,))
        assert "no_such_table" in str(raised.value) and PASSPORT not in str(raised.value)
        engine.dispose()


def test_the_database_its_log_and_the_keys_are_the_apps_users_only_from_the_first_write(tmp_path):
    home = tmp_path / "home"
    runtime = Runtime.open(home)
    try:
        runtime.user.set_setting("important_numbers", {"passport": PASSPORT})
        files = [p for p in home.iterdir() if p.name.startswith("user.db")]
        assert {p.name for p in files} >= {"user.db", "user.db-wal", "user.db-shm"}
        assert {p.name: oct(p.stat().st_mode & 0o777) for p in files} == {p.name: "0o600" for p in files}
    finally:
        runtime.close()
    user_key_file(home).chmod(0o644)  # copied back from a backup with a wider mode
    Runtime.open(home).close()
    assert oct(user_key_file(home).stat().st_mode & 0o777) == "0o600"


TRACES = (PASSPORT.encode(), b"unsaved-trafficking-signs")


def _older_versions_db_with_deleted_text(home):
    path = _older_versions_plain_db(home)
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA secure_delete=OFF")
        connection.execute("INSERT INTO bookmark VALUES ('unsaved-trafficking-signs', '2026-11-20 00:00:00')")
        connection.commit()
        connection.execute("DELETE FROM bookmark WHERE article_id = 'unsaved-trafficking-signs'")
    connection.close()
    return path


def _traces(home) -> list[str]:
    return [p.name for p in home.iterdir() if p.name.startswith("user.db") and p.is_file()
            and any(t in p.read_bytes() for t in TRACES)]


def test_a_crash_after_sealing_but_before_the_rewrite_is_finished_by_the_next_launch(tmp_path):
    from sqlmodel import Session

    from app.storage import user_data
    from app.storage.engines import open_user_engine

    home, killed = tmp_path / "home", tmp_path / "killed"
    path = _older_versions_db_with_deleted_text(home)
    # The first launch seals the plain values and is killed before it rewrites the file.
    engine = open_user_engine(path)
    with Session(engine) as session:
        assert user_data.seal_plaintext(session=session, keys=create_keys(FileKeyStore(user_key_file(home))))
        killed.mkdir()
        for name in ("user.db", "user.db-wal", "user.key"):
            shutil.copyfile(home / name, killed / name)
    engine.dispose()
    assert _traces(killed)  # plain copies still in the file
    runtime = Runtime.open(killed)
    try:
        assert runtime.user.setting("important_numbers") == {"passport": PASSPORT}
        assert _traces(killed) == []  # gone already: this launch may be killed too
    finally:
        runtime.close()


def test_a_rewrite_a_reader_kept_from_finishing_is_finished_by_the_next_launch(tmp_path):
    home = tmp_path / "home"
    path = _older_versions_db_with_deleted_text(home)
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
    connection.close()
    reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True)  # e.g. another process, mid-read
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM setting").fetchone()
    try:
        Runtime.open(home).close()
    finally:
        reader.rollback()
        reader.close()
    runtime = Runtime.open(home)
    try:
        assert _traces(home) == []  # gone already: this launch may be killed too
    finally:
        runtime.close()
