"""A copy that survives a lost phone: `python -m app backup export|restore`, run as a person
would run it, into real data folders. A wrong passphrase or a damaged file changes nothing."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from app.backup_words import problem_words
from app.i18n import catalog
from app.runtime import Runtime
from app.storage import backup
from app.storage.backup import BackupDamaged, BackupProblem, BackupTooNew, WrongPassphrase, open_backup, seal_backup
from app.storage.user_store import UNLOCK_FAILURES_KEY

REPO = Path(__file__).resolve().parents[1]
PASSPHRASE = "mango tree by the river 7"
PIN = "246810"
PASSPORT = "PX7Q-BACKUP-6630"
FAMILY_PHONE = "+977 9800 BACKUP 12"
PERSONAL = {"onboarded": True, "language": "ne", "country": "MY", "origin": "NP", "role": "abroad",
            "important_numbers": {"passport": PASSPORT, "family_phone": FAMILY_PHONE}}
BOOKMARKS = ["passport-taken", "arrested-or-detained"]


def _app(home: Path, *args: str, stdin: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SAFE_JOURNEY_HOME": str(home), "SAFE_JOURNEY_LOG_LEVEL": "WARNING"}
    return subprocess.run([sys.executable, "-m", "app", *args], input=stdin, capture_output=True, text=True,
                          cwd=REPO, env=env, timeout=120)


def _filled(home: Path, *, pin: str | None = None) -> Path:
    runtime = Runtime.open(home)
    try:
        for key, value in PERSONAL.items():
            runtime.user.set_setting(key, value)
        for article_id in BOOKMARKS:
            runtime.user.add_bookmark(article_id)
        runtime.user.set_setting("checked_timestamp", {"version": 3})  # this phone's own: not carried
        if pin:
            runtime.user.set_pin(pin)
    finally:
        runtime.close()
    return home


def _fingerprint(home: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(home.iterdir()) if p.is_file()}


def test_a_backup_restores_everything_into_a_fresh_data_folder_and_reads_as_noise(tmp_path):
    old_phone = _filled(tmp_path / "old-phone")
    file = tmp_path / "backup.sjb"
    made = _app(old_phone, "backup", "export", "--out", str(file), "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() and not made.stderr  # words in the person's language (ne), nothing else
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    data = file.read_bytes()
    for secret in (PASSPORT, "9800 BACKUP", "passport-taken", '"abroad"', '"NP"', PASSPHRASE):
        assert secret.encode() not in data, secret

    new_phone = tmp_path / "new-phone"
    restored = _app(new_phone, "backup", "restore", "--in", str(file), "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert restored.returncode == 0, restored.stderr
    runtime = Runtime.open(new_phone)
    try:
        for key, value in PERSONAL.items():
            assert runtime.user.setting(key) == value, key
        assert runtime.user.bookmarks() == list(reversed(BOOKMARKS))  # newest first, as before
        assert runtime.user.setting("checked_timestamp") is None
    finally:
        runtime.close()
    everything = b"".join(p.read_bytes() for p in new_phone.rglob("*") if p.is_file())
    assert PASSPORT.encode() not in everything  # sealed on the new phone with its own keys


def test_a_wrong_passphrase_or_a_damaged_file_changes_nothing_and_says_so(tmp_path):
    file = tmp_path / "backup.sjb"
    assert _app(_filled(tmp_path / "old-phone"), "backup", "export", "--out", str(file), "--passphrase-stdin",
                stdin=PASSPHRASE + "\n").returncode == 0
    phone = tmp_path / "phone"
    runtime = Runtime.open(phone)
    runtime.user.set_setting("important_numbers", {"passport": "KEPT-1"})
    runtime.close()
    before = _fingerprint(phone)

    wrong = _app(phone, "backup", "restore", "--in", str(file), "--passphrase-stdin", stdin="mango tree by the sea 7\n")
    assert wrong.returncode == 1
    assert "That passphrase does not open this backup. Nothing was changed." in wrong.stderr
    damaged = tmp_path / "damaged.sjb"
    damaged.write_bytes(file.read_bytes()[:-40])  # cut short on its way
    cut = _app(phone, "backup", "restore", "--in", str(damaged), "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert cut.returncode == 1
    assert "This file is not a Safe Journey backup, or it was damaged. Nothing was changed." in cut.stderr
    assert _fingerprint(phone) == before
    runtime = Runtime.open(phone)
    try:
        assert runtime.user.setting("important_numbers") == {"passport": "KEPT-1"}
    finally:
        runtime.close()


def test_with_the_app_lock_on_the_backup_needs_the_pin_and_a_wrong_one_counts(tmp_path):
    phone = _filled(tmp_path / "phone", pin=PIN)
    file = tmp_path / "backup.sjb"
    refused = _app(phone, "backup", "export", "--out", str(file), "--passphrase-stdin", stdin=f"{PASSPHRASE}\n135790\n")
    assert refused.returncode == 1 and not file.exists()
    # In the person's language (Nepali here), as the app speaks to them.
    assert catalog("ne").gettext("Unlock the app with your PIN first.") in refused.stderr
    assert "Unlock the app" not in refused.stderr
    runtime = Runtime.open(phone)
    try:
        assert runtime.user.setting(UNLOCK_FAILURES_KEY)["count"] == 1  # counted as on the lock screen
    finally:
        runtime.close()
    made = _app(phone, "backup", "export", "--out", str(file), "--passphrase-stdin", stdin=f"{PASSPHRASE}\n{PIN}\n")
    assert made.returncode == 0, made.stderr
    assert open_backup(file.read_bytes(), PASSPHRASE)["settings"]["important_numbers"]["passport"] == PASSPORT


def _changed(data: bytes, change) -> bytes:
    document = json.loads(data)
    change(document)
    return json.dumps(document).encode()


def _with_digest(change):
    """A change made on purpose, the digest made again to match (so the later checks are reached)."""
    def changed(document):
        document.pop("digest")
        change(document)
        document["digest"] = backup._digest(document)
    return changed


def _flip_ciphertext(document):
    raw = bytearray(base64.b64decode(document["ciphertext"]))
    raw[5] ^= 1
    document["ciphertext"] = base64.b64encode(bytes(raw)).decode()


@pytest.mark.parametrize(("damage", "problem"), [
    (lambda data: b"", BackupDamaged),
    (lambda data: b"PK\x03\x04 a zip file", BackupDamaged),
    (lambda data: data[: len(data) // 2], BackupDamaged),
    (lambda data: _changed(data, _flip_ciphertext), BackupDamaged),  # a byte changed on its way
    (lambda data: _changed(data, lambda d: d["kdf"].update(salt=base64.b64encode(b"0" * 16).decode())),
     BackupDamaged),  # never taken for a wrong passphrase
    (lambda data: _changed(data, lambda d: d.update(format="other-app")), BackupDamaged),
    (lambda data: _changed(data, _with_digest(_flip_ciphertext)), BackupDamaged),  # on purpose
    (lambda data: _changed(data, _with_digest(lambda d: d["kdf"].update(memory_kib=64 * 1024 * 1024))), BackupDamaged),
    (lambda data: _changed(data, lambda d: d.update(version=backup.VERSION + 1)), BackupTooNew),
    (lambda data: _changed(data, _with_digest(lambda d: d.update(version=0))), BackupDamaged),
    (lambda data: data, None),  # the file as made: only the passphrase is wrong
])
def test_each_kind_of_bad_file_gets_its_own_answer(damage, problem):
    data = seal_backup({"settings": {"important_numbers": {"passport": PASSPORT}}, "bookmarks": []}, PASSPHRASE)
    assert open_backup(data, PASSPHRASE)["settings"]["important_numbers"]["passport"] == PASSPORT
    with pytest.raises(BackupProblem) as raised:
        open_backup(damage(data), PASSPHRASE if problem else "not the passphrase")
    assert type(raised.value) is (problem or WrongPassphrase)


def test_every_problem_has_its_own_words():
    kinds = BackupProblem.__subclasses__()
    words = {problem_words(kind()) for kind in kinds}
    assert len(kinds) >= 6 and len(words) == len(kinds)


def test_the_same_passphrase_typed_on_another_keyboard_opens_the_backup():
    composed, decomposed = "caf\u00e9 au lait 2026", "cafe\u0301 au lait 2026"
    data = seal_backup({"settings": {}, "bookmarks": ["passport-taken"]}, composed)
    assert open_backup(data, decomposed)["bookmarks"] == ["passport-taken"]
