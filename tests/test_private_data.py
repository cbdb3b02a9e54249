"""The person's data is sealed before it touches the disk, with keys kept outside the database.

A phone can be taken: whatever the person typed or chose must not be readable from the
data folder with `strings`. Each test scans the real files the app wrote.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import stat
from pathlib import Path

import pytest

from app.emergency_fallback import saved_setting
from app.runtime import Runtime
from app.storage import migrate
from app.storage.paths import documents_dir, user_db, user_key_file
from app.storage.problems import StorageProblem
from sqlmodel import create_engine
from tests.document_images import png_photo

PASSPORT = "PX7Q-PASSPORT-4417"
FAMILY_PHONE = "+977 9800 MARKER 31"
EMPLOYER = "Employer MARKER Sdn Bhd, Jalan Rahsia 9"
BOOKMARKS = ("passport-taken", "arrested-or-detained")
PERSONAL = {"role": "abroad", "origin": "NP", "country": "MY", "language": "ne",
            "important_numbers": {"passport": PASSPORT, "family_phone": FAMILY_PHONE, "employer_address": EMPLOYER}}
# What each value looks like once JSON-encoded, as an unsealed database stores it.
PLAIN_TRACES = [PASSPORT, "9800 MARKER", "Jalan Rahsia", '"abroad"', '"NP"', '"MY"', '"ne"', *BOOKMARKS]


def _user_files(home):
    """user.db and every side file SQLite keeps beside it."""
    return [p for p in home.iterdir() if p.name.startswith("user.db")]


def _traces_in(files) -> list[str]:
    found = []
    for path in files:
        data = path.read_bytes()
        found += [f"{t} in {path.name}" for t in PLAIN_TRACES if t.encode() in data or t.encode("utf-16-le") in data]
    return found


def _fill(home):
    runtime = Runtime.open(home)
    for key, value in PERSONAL.items():
        runtime.user.set_setting(key, value)
    for article_id in BOOKMARKS:
        runtime.user.add_bookmark(article_id)
    runtime.user.documents.add(f"passport-{PASSPORT}.png", png_photo(PASSPORT))  # the document safe
    return runtime


def test_nothing_the_person_typed_or_chose_is_readable_in_the_data_folder(tmp_path):
    home = tmp_path / "home"
    runtime = _fill(home)
    try:  # while the app runs: recent writes are in the write-ahead log
        assert [p.name for p in _user_files(home)] and _traces_in(_user_files(home)) == []
        # Typed text must not be anywhere in the folder (content.db holds article ids itself).
        everything = [p for p in home.rglob("*") if p.is_file()]
        assert [p.name for p in everything if PASSPORT.encode() in p.read_bytes()] == []
        assert runtime.user.setting("important_numbers")["passport"] == PASSPORT
        assert sorted(runtime.user.bookmarks()) == sorted(BOOKMARKS)
        assert [e.name for e in runtime.user.documents.list()] == [f"passport-{PASSPORT}.png"]
    finally:
        runtime.close()
    assert _traces_in(_user_files(home)) == []
    reopened = Runtime.open(home)
    try:
        assert reopened.user.setting("role") == "abroad"
        reopened.user.remove_bookmark("passport-taken")
        assert reopened.user.bookmarks() == ["arrested-or-detained"]
    finally:
        reopened.close()


def _older_user_db(tmp_path) -> tuple[Path, Path]:
    """A data folder with an empty user.db in the older, plain-text schema: (home, user.db)."""
    home = tmp_path / "home"
    home.mkdir()
    path = user_db(home)
    engine = create_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, migrate.USER)
    engine.dispose()
    return home, path


def test_data_an_older_version_stored_in_plain_text_is_sealed_and_the_plain_copy_is_gone(tmp_path):
    home, path = _older_user_db(tmp_path)
    # As the previous version wrote it: JSON in plain text, the last writes still in the WAL.
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA wal_autocheckpoint=0")
    for key, value in PERSONAL.items():
        connection.execute("INSERT INTO setting VALUES (?, ?)", (key, json.dumps(value)))
    for article_id in BOOKMARKS:
        connection.execute("INSERT INTO bookmark VALUES (?, '2026-11-20 00:00:00')", (article_id,))
    connection.commit()
    assert _traces_in(_user_files(home))  # the scan sees plain text where there is some
    runtime = Runtime.open(home)
    try:
        assert runtime.user.setting("important_numbers")["passport"] == PASSPORT
        assert runtime.user.setting("language") == "ne"
        assert sorted(runtime.user.bookmarks()) == sorted(BOOKMARKS)
        assert _traces_in(_user_files(home)) == []
    finally:
        runtime.close()
        connection.close()
    assert _traces_in(_user_files(home)) == []


def test_what_an_older_version_deleted_does_not_linger_in_the_files_free_space(tmp_path):
    home, path = _older_user_db(tmp_path)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA secure_delete=OFF")  # as many SQLite builds ship (Debian's has it on)
    connection.execute("INSERT INTO setting VALUES ('language', '\"ne\"')")
    connection.execute("INSERT INTO bookmark VALUES ('unsaved-trafficking-signs', '2026-11-20 00:00:00')")
    connection.commit()
    connection.execute("DELETE FROM bookmark")  # removed by the person; its bytes stay in free space
    connection.commit()
    connection.close()
    assert b"unsaved-trafficking-signs" in path.read_bytes()
    Runtime.open(home).close()
    assert [p.name for p in _user_files(home) if b"unsaved-trafficking-signs" in p.read_bytes()] == []


def test_the_keys_and_the_database_are_readable_only_by_the_apps_user(tmp_path):
    home = tmp_path / "home"
    _fill(home).close()
    for path in (user_key_file(home), user_db(home), *documents_dir(home).iterdir()):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    assert stat.S_IMODE(documents_dir(home).stat().st_mode) == 0o700
    assert PASSPORT.encode() not in user_key_file(home).read_bytes()


@pytest.mark.parametrize("harm", ["key file removed", "key file garbled"])
def test_sealed_data_whose_keys_are_gone_is_never_treated_as_damaged(tmp_path, harm):
    home = tmp_path / "home"
    _fill(home).close()
    key_file = user_key_file(home)
    if harm == "key file removed":
        key_file.unlink()
    else:
        key_file.write_bytes(b"{not json")
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in home.iterdir() if p.is_file()}
    runtime = Runtime.open(home)
    try:
        assert StorageProblem.keys_lost in [n.problem for n in runtime.notices]
        assert runtime.user.setting("important_numbers") is None  # nothing invented, nothing shown
        runtime.user.set_setting("language", "th")  # kept in memory only
    finally:
        runtime.close()
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in home.iterdir() if p.is_file()}
    assert after == before  # not moved aside, not overwritten, no new keys
    assert not list(home.glob("user.db.damaged-*"))


def test_the_error_screen_still_finds_the_chosen_country_but_never_the_personal_values(tmp_path):
    home = tmp_path / "home"
    _fill(home).close()
    assert saved_setting(home, "country") == "MY"
    assert saved_setting(home, "language") == "ne"
    assert saved_setting(home, "important_numbers") is None


def test_a_sealed_value_copied_to_another_setting_does_not_open(tmp_path):
    home = tmp_path / "home"
    _fill(home).close()
    with sqlite3.connect(user_db(home)) as connection:
        connection.execute("UPDATE setting SET value = (SELECT value FROM setting WHERE key = 'role') "
                           "WHERE key = 'origin'")
    connection.close()
    runtime = Runtime.open(home)
    try:
        assert runtime.user.setting("role") == "abroad"
        assert runtime.user.setting("origin", "unknown") == "unknown"
    finally:
        runtime.close()
