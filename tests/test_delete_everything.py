"""Delete all my data: nothing of the person's data can be recovered from the data folder
afterwards, the app is at its first launch, and the content and emergency numbers stay."""

from __future__ import annotations

import hashlib
import json
import sqlite3

from app.runtime import Runtime
from app.storage.paths import content_db, partial_downloads_dir, user_db, user_key_file

PASSPORT = "PX7Q-PASSPORT-9902"


def _sealed_values(home) -> list[bytes]:
    with sqlite3.connect(f"file:{user_db(home)}?mode=ro", uri=True) as connection:
        rows = connection.execute("SELECT value FROM setting UNION ALL SELECT article_id FROM bookmark").fetchall()
    connection.close()
    return [r[0].encode() for r in rows]


def _key_bytes(home) -> list[bytes]:
    stored = json.loads(user_key_file(home).read_bytes())
    return [v.encode() for k, v in stored.items() if k != "format" and isinstance(v, str)]


def test_delete_everything_leaves_nothing_recoverable_and_keeps_the_content(tmp_path):
    home = tmp_path / "home"
    runtime = Runtime.open(home)
    for key, value in {"onboarded": True, "country": "MY", "origin": "NP", "role": "abroad",
                       "important_numbers": {"passport": PASSPORT}}.items():
        runtime.user.set_setting(key, value)
    runtime.user.add_bookmark("passport-taken")
    kept = home / "user.db.damaged-20261101T000000"  # from an older version, in plain text
    kept.write_bytes(b"SQLite format 3\0 ... " + PASSPORT.encode())
    # Key files moved aside as damaged, or left half-written by a launch killed mid-write.
    old_keys = [home / "user.key.damaged-20261101T000000", home / "user.key.k3y9x2.new"]
    for path in old_keys:
        path.write_bytes(user_key_file(home).read_bytes())
    partial_downloads_dir(home).mkdir(exist_ok=True)
    (partial_downloads_dir(home) / "0123abcd").write_bytes(b"half a pack")
    secrets = _sealed_values(home) + _key_bytes(home) + [PASSPORT.encode()]
    assert len(secrets) >= 8
    content_before = hashlib.sha256(content_db(home).read_bytes()).hexdigest()

    runtime.delete_everything()
    try:  # the app goes on at once, at its first launch, and can save again
        assert runtime.user.setting("onboarded", False) is False
        assert runtime.user.setting("important_numbers") is None
        assert runtime.user.bookmarks() == []
        runtime.user.set_setting("language", "th")
    finally:
        runtime.close()

    leftovers = [(p.name, s[:12]) for p in home.rglob("*") if p.is_file() for s in secrets if s in p.read_bytes()]
    assert leftovers == []
    assert not kept.exists() and not partial_downloads_dir(home).exists()
    assert not any(p.exists() for p in old_keys)
    assert hashlib.sha256(content_db(home).read_bytes()).hexdigest() == content_before
    again = Runtime.open(home)
    try:
        assert again.user.setting("language") == "th"
        with again.reading() as content:
            assert "999" in [c.dial for c in content.contacts("MY", "en")]
    finally:
        again.close()


def test_a_write_still_on_its_way_when_everything_is_deleted_is_left_out(tmp_path):
    """The background updates may be saving what they checked as the person deletes
    everything: that write must not land in the new user.db, sealed with keys now gone."""
    from app.background_updates import TIMESTAMP_SETTING

    home = tmp_path / "home"
    runtime = Runtime.open(home)
    runtime.user.set_setting("important_numbers", {"passport": PASSPORT})
    before = runtime.user  # what a background thread already holds
    runtime.delete_everything()
    before.set_setting(TIMESTAMP_SETTING, {"version": 7, "etag": "late"})
    runtime.user.set_setting("language", "th")
    runtime.close()
    again = Runtime.open(home)
    try:
        assert again.notices == []  # nothing reads as lost or damaged
        assert again.user.setting(TIMESTAMP_SETTING) is None and again.user.setting("language") == "th"
    finally:
        again.close()
