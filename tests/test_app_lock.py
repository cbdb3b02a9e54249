"""The app lock: a PIN wraps the personal key (Argon2id). A wrong PIN is counted and, past a
few, delayed; it never touches the database. The device values stay readable without it."""

from __future__ import annotations

import base64
import hashlib
import json
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from app.runtime import Runtime
from app.storage.keys import FileKeyStore, load_keys, unwrap
from app.storage.paths import user_db, user_key_file
from app.storage.problems import USER_DATA_PROBLEMS
from app.storage.user_store import FREE_TRIES, PersonalDataLocked

PIN = "246810"
PASSPORT = "PX7Q-LOCKED-7731"


def _locked_home(tmp_path):
    home = tmp_path / "home"
    runtime = Runtime.open(home)
    for key, value in {"country": "MY", "origin": "NP", "role": "abroad",
                       "important_numbers": {"passport": PASSPORT}}.items():
        runtime.user.set_setting(key, value)
    runtime.user.add_bookmark("passport-taken")
    personal = json.loads(user_key_file(home).read_bytes())["personal"]
    runtime.user.set_pin(PIN)
    runtime.close()
    assert personal not in user_key_file(home).read_text()  # the personal key is kept only wrapped
    return home


def test_with_the_lock_on_only_the_device_values_open_until_the_pin_is_given(tmp_path):
    home = _locked_home(tmp_path)
    runtime = Runtime.open(home)
    try:
        user = runtime.user
        assert user.lock_on and user.locked
        assert user.setting("country") == "MY"  # the lock screen's emergency numbers
        assert user.setting("important_numbers") is None and user.setting("role") is None
        assert user.bookmarks() == []
        with pytest.raises(PersonalDataLocked):
            user.set_setting("role", "family")
        assert user.unlock(PIN).unlocked
        assert user.setting("important_numbers") == {"passport": PASSPORT}
        assert user.bookmarks() == ["passport-taken"]
        user.forget_personal_key()  # quick exit
        assert user.setting("important_numbers") is None
    finally:
        runtime.close()


def test_a_locked_app_opens_without_saying_that_anything_was_lost(tmp_path):
    """Values only the PIN opens are locked away, not lost: no notice, and all there after it."""
    home = _locked_home(tmp_path)
    runtime = Runtime.open(home)
    try:
        assert [n.problem for n in runtime.notices if n.problem in USER_DATA_PROBLEMS] == []
        assert runtime.user.unopenable() == set()
        assert runtime.user.unlock(PIN).unlocked
        assert runtime.user.bookmarks() == ["passport-taken"]
    finally:
        runtime.close()


def test_a_wrong_pin_is_counted_never_treated_as_damage_and_the_right_one_still_opens(tmp_path):
    home = _locked_home(tmp_path)
    key_before = hashlib.sha256(user_key_file(home).read_bytes()).hexdigest()
    runtime = Runtime.open(home)
    try:
        first = runtime.user.unlock("135790")
        assert (first.unlocked, first.failures, first.wait_s) == (False, 1, 0)
        assert runtime.user.unlock("000000").failures == 2
    finally:
        runtime.close()
    assert hashlib.sha256(user_key_file(home).read_bytes()).hexdigest() == key_before
    assert user_db(home).exists() and not list(home.glob("user.db.damaged-*"))
    runtime = Runtime.open(home)  # the count outlives a restart
    try:
        assert runtime.notices == []
        assert runtime.user.unlock("111111").failures == 3
        assert runtime.user.unlock(PIN).unlocked
        assert runtime.user.setting("role") == "abroad"
    finally:
        runtime.close()


def test_after_a_few_wrong_pins_each_try_waits(tmp_path):
    home = _locked_home(tmp_path)
    runtime = Runtime.open(home)
    try:
        user, now = runtime.user, 1_000_000.0
        for tries in range(1, FREE_TRIES):
            assert user.unlock("999999", now=now).wait_s == 0
        last = user.unlock("999999", now=now)
        assert (last.failures, last.wait_s) == (FREE_TRIES, 30)
        early = user.unlock(PIN, now=now + 10)  # even the right PIN waits its turn
        assert not early.unlocked and early.wait_s == 20
        assert user.unlock("999999", now=now + 31).wait_s == 60  # doubles
        assert user.unlock(PIN, now=now + 92).unlocked
        assert user.unlock(PIN, now=now + 92).failures == 0
    finally:
        runtime.close()


def test_turning_the_lock_off_keeps_everything(tmp_path):
    home = _locked_home(tmp_path)
    runtime = Runtime.open(home)
    assert runtime.user.unlock(PIN).unlocked
    runtime.user.remove_pin()
    runtime.close()
    runtime = Runtime.open(home)
    try:
        assert not runtime.user.lock_on and not runtime.user.locked
        assert runtime.user.setting("important_numbers") == {"passport": PASSPORT}
    finally:
        runtime.close()


def test_what_the_background_updates_record_is_kept_while_the_app_is_locked(tmp_path):
    from app.background_updates import TIMESTAMP_SETTING

    home = _locked_home(tmp_path)
    runtime = Runtime.open(home)
    try:
        assert runtime.user.locked
        runtime.user.set_setting(TIMESTAMP_SETTING, {"version": 9, "etag": "x"})
        assert runtime.user.setting(TIMESTAMP_SETTING) == {"version": 9, "etag": "x"}
        assert runtime.user.setting("data_use", "wifi_only") == "wifi_only"
    finally:
        runtime.close()


def test_a_clock_set_back_never_makes_the_wait_longer(tmp_path):
    home = _locked_home(tmp_path)
    runtime = Runtime.open(home)
    try:
        user, now = runtime.user, 1_000_000.0
        for _try in range(FREE_TRIES):
            user.unlock("999999", now=now)
        set_back = now - 3 * 24 * 3600  # the phone's clock corrected by three days
        assert user.unlock(PIN, now=set_back).wait_s == 30
        assert user.unlock(PIN, now=set_back + 31).unlocked
    finally:
        runtime.close()


def test_two_tries_at_the_same_moment_are_both_counted(tmp_path):
    """Two tabs trying at once get no uncounted tries: the second waits for the first."""
    home = _locked_home(tmp_path)
    runtime = Runtime.open(home)
    try:
        user = runtime.user
        start = threading.Barrier(2)
        results = []

        def try_once(pin):
            start.wait()
            results.append(user.unlock(pin))

        threads = [threading.Thread(target=try_once, args=(pin,)) for pin in ("111111", "222222")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(r.failures for r in results) == [1, 2]
        assert user.unlock("333333").failures == 3
    finally:
        runtime.close()


# Killed (kill -9) just before the new key file is put in place, as a phone kills an app.
_KILLED_WHILE_SAVING_THE_PIN = """
import os, signal, sys
from pathlib import Path
from app.runtime import Runtime
from app.storage.keys import FileKeyStore, load_keys, unwrap

runtime = Runtime.open(Path(sys.argv[1]))
if runtime.user.lock_on:
    assert runtime.user.unlock(sys.argv[2]).unlocked
os.replace = lambda *args: os.kill(os.getpid(), signal.SIGKILL)
runtime.user.remove_pin() if runtime.user.lock_on else runtime.user.set_pin(sys.argv[2])
"""


@pytest.mark.parametrize("change", ["lock turned off", "lock turned on"])
def test_a_phone_killed_while_the_pin_is_saved_opens_as_before_and_leaves_no_unwrapped_key(tmp_path, change):
    home = _locked_home(tmp_path)
    personal = unwrap(load_keys(FileKeyStore(user_key_file(home))), PIN)
    runtime = Runtime.open(home)
    assert runtime.user.unlock(PIN).unlocked
    if change == "lock turned on":
        runtime.user.remove_pin()
    runtime.close()
    killed = subprocess.run([sys.executable, "-c", _KILLED_WHILE_SAVING_THE_PIN, str(home), PIN],
                            cwd=Path(__file__).resolve().parents[1], capture_output=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()[-800:]
    assert list(home.glob("user.key.*.new"))  # half-written: the key file was not yet replaced

    runtime = Runtime.open(home)
    try:
        assert runtime.notices == []
        assert runtime.user.lock_on is (change == "lock turned off")  # as it was before the change
        if runtime.user.lock_on:
            assert runtime.user.unlock(PIN).unlocked
        assert runtime.user.setting("important_numbers") == {"passport": PASSPORT}
    finally:
        runtime.close()
    assert list(home.glob("user.key.*.new")) == []
    if change == "lock turned off":  # the personal key is nowhere unwrapped beside the locked key file
        files = [p for p in home.rglob("*") if p.is_file()]
        assert [p.name for p in files if personal in p.read_bytes() or base64.b64encode(personal) in p.read_bytes()] == []


def test_a_wrong_pin_is_counted_even_when_the_storage_refuses_the_write(tmp_path):
    """Another program holding user.db (or a full phone) must not give free, uncounted tries."""
    import sqlite3

    home = _locked_home(tmp_path)
    runtime = Runtime.open(home)
    holder = sqlite3.connect(user_db(home), timeout=0)
    try:
        holder.execute("BEGIN IMMEDIATE")  # holds the write lock: every write waits, then fails
        refused = runtime.user.unlock("135790")
        assert (refused.unlocked, refused.failures) == (False, 1)
        holder.rollback()
        assert runtime.user.unlock("000000").failures == 2
    finally:
        holder.close()
        runtime.close()
