"""The backup carries the document safe: photos come back byte for byte on a new phone, the
file shows none of them in plaintext, a wrong passphrase, a damaged file or a restore that
would overflow the safe changes nothing (settings nor documents), an old backup still opens,
and documents past the backup's room are left out by name, the oldest first."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from app.backup_words import exported_words, problem_words
from app.runtime import Runtime
from app.storage import backup, documents
from app.storage.backup import BackupDamaged, BackupWontFit, WrongPassphrase, export_bytes, restore_bytes
from app.storage.paths import documents_dir
from tests.document_images import png_photo

REPO = Path(__file__).resolve().parents[1]
PASSPHRASE = "mango tree by the river 7"
PASSPORT = "PX7Q-BACKUP-6630"
DAY = datetime(2026, 3, 1, 9, 30, tzinfo=timezone.utc)
# (name, marker inside the photo, day added): the marker and the name must never show in the file.
PHOTOS = [("passport-of-MINA-7731.png", "PHOTO-MARKER-PASSPORT-5521", DAY),
          ("contract-of-MINA-7731.png", "PHOTO-MARKER-CONTRACT-8830", DAY + timedelta(days=3))]


def _phone(home: Path, photos=PHOTOS, *, passport: str = PASSPORT) -> Path:
    runtime = Runtime.open(home)
    try:
        runtime.user.set_setting("important_numbers", {"passport": passport})
        for name, marker, day in photos:
            runtime.user.documents.add(name, png_photo(marker), now=day)
    finally:
        runtime.close()
    return home


def _everything(home: Path) -> dict[str, str]:
    """Every file under the data folder and its hash: "changes nothing" means this stays equal."""
    return {str(p.relative_to(home)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(home.rglob("*")) if p.is_file()}


def _documents(home: Path) -> list[tuple[str, str, datetime, bytes]]:
    runtime = Runtime.open(home)
    try:
        safe = runtime.user.documents
        return [(e.name, e.type, e.added, safe.open(e.id)[1]) for e in safe.list()]
    finally:
        runtime.close()


def _app(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SAFE_JOURNEY_HOME": str(home), "SAFE_JOURNEY_LOG_LEVEL": "WARNING"}
    return subprocess.run([sys.executable, "-m", "app", *args], input=PASSPHRASE + "\n", capture_output=True,
                          text=True, cwd=REPO, env=env, timeout=120)


def test_the_documents_travel_in_the_backup_and_open_byte_for_byte_on_a_new_phone(tmp_path):
    old_phone = _phone(tmp_path / "old-phone")
    file = tmp_path / "backup.sjb"
    made = _app(old_phone, "backup", "export", "--out", str(file), "--passphrase-stdin")
    assert made.returncode == 0, made.stderr
    data = file.read_bytes()
    assert json.loads(data)["version"] == 2
    sealed = base64.b64decode(json.loads(data)["ciphertext"])  # base64 alone would hide nothing
    for seen in (data, sealed):
        for name, marker, _day in PHOTOS:
            assert marker.encode() not in seen and name.encode() not in seen
        assert b"MINA-7731" not in seen and PASSPORT.encode() not in seen

    new_phone = tmp_path / "new-phone"
    restored = _app(new_phone, "backup", "restore", "--in", str(file), "--passphrase-stdin")
    assert restored.returncode == 0, restored.stderr
    expected = [(name, "image/png", day, png_photo(marker)) for name, marker, day in reversed(PHOTOS)]
    assert _documents(new_phone) == expected  # newest first, the day each was added kept
    everything = b"".join(p.read_bytes() for p in new_phone.rglob("*") if p.is_file())
    assert b"PHOTO-MARKER" not in everything and b"MINA-7731" not in everything  # sealed with the new phone's keys

    again = _app(new_phone, "backup", "restore", "--in", str(file), "--passphrase-stdin")
    assert again.returncode == 0, again.stderr
    assert len(_documents(new_phone)) == 2  # restored twice: nothing twice


def _flip_a_byte_of_the_photos(data: bytes) -> bytes:
    document = json.loads(data)
    raw = bytearray(base64.b64decode(document["ciphertext"]))
    raw[-100] ^= 1  # near the end: inside the last photo
    document["ciphertext"] = base64.b64encode(bytes(raw)).decode()
    document.pop("digest")
    document["digest"] = backup._digest(document)  # changed on purpose: only the seal can tell
    return json.dumps(document).encode()


@pytest.mark.parametrize(("damage", "passphrase", "problem"), [
    (lambda data: data, "mango tree by the sea 7", WrongPassphrase),
    (_flip_a_byte_of_the_photos, PASSPHRASE, BackupDamaged),
    (lambda data: data[:-3000], PASSPHRASE, BackupDamaged),
])
def test_a_wrong_passphrase_or_a_damaged_file_changes_neither_settings_nor_documents(tmp_path, damage, passphrase,
                                                                                     problem):
    source = Runtime.open(_phone(tmp_path / "old-phone"))
    try:
        data = export_bytes(source.user, PASSPHRASE).data
    finally:
        source.close()
    phone = _phone(tmp_path / "phone", [("visa-KEPT.png", "PHOTO-MARKER-KEPT-1", DAY)], passport="KEPT-1")
    before = _everything(phone)
    runtime = Runtime.open(phone)
    try:
        with pytest.raises(problem):
            restore_bytes(runtime.user, damage(data), passphrase)
        assert runtime.user.setting("important_numbers") == {"passport": "KEPT-1"}
        assert [e.name for e in runtime.user.documents.list()] == ["visa-KEPT.png"]
    finally:
        runtime.close()
    assert _everything(phone) == before


def test_a_restore_that_would_overflow_the_safe_is_refused_with_its_own_words(tmp_path, monkeypatch):
    source = Runtime.open(_phone(tmp_path / "old-phone"))
    try:
        data = export_bytes(source.user, PASSPHRASE).data
    finally:
        source.close()
    phone = _phone(tmp_path / "phone", [("visa-KEPT.png", "PHOTO-MARKER-KEPT-1", DAY)], passport="KEPT-1")
    before = _everything(phone)
    for module in (backup, documents):  # a safe of 2 rather than 30: the same rule, without 30 photos
        monkeypatch.setattr(module, "MAX_DOCUMENTS", 2)
    runtime = Runtime.open(phone)
    try:
        with pytest.raises(BackupWontFit) as refused:
            restore_bytes(runtime.user, data, PASSPHRASE)
        assert runtime.user.setting("important_numbers") == {"passport": "KEPT-1"}
    finally:
        runtime.close()
    assert _everything(phone) == before
    assert "do not fit" in problem_words(refused.value)


def test_documents_past_the_backups_room_are_left_out_oldest_first_and_named(tmp_path):
    photos = [*PHOTOS, ("payslip-june.png", "PHOTO-MARKER-PAYSLIP-3", DAY + timedelta(days=9))]
    runtime = Runtime.open(_phone(tmp_path / "phone", photos))
    try:
        sizes = {name: len(png_photo(marker)) for name, marker, _day in photos}
        room = sizes["payslip-june.png"] + sizes["contract-of-MINA-7731.png"]  # the two newest fit
        made = export_bytes(runtime.user, PASSPHRASE, document_room=room)
    finally:
        runtime.close()
    assert made.left_out == ["passport-of-MINA-7731.png"]
    carried = backup.open_backup(made.data, PASSPHRASE)["documents"]
    assert [d.name for d in carried] == ["payslip-june.png", "contract-of-MINA-7731.png"]
    assert "passport-of-MINA-7731.png" in exported_words(made.left_out)
    assert "passport-of" not in exported_words([])


def test_a_backup_made_before_the_documents_still_restores(tmp_path):
    # Made by the version 1 code (settings and saved articles only) and kept as it was.
    old = (REPO / "tests" / "data" / "backup-version-1.sjb").read_bytes()
    assert json.loads(old)["version"] == 1
    phone = _phone(tmp_path / "phone", [("visa-KEPT.png", "PHOTO-MARKER-KEPT-1", DAY)], passport="KEPT-1")
    runtime = Runtime.open(phone)
    try:
        restore_bytes(runtime.user, old, PASSPHRASE)
        assert runtime.user.setting("important_numbers")["passport"] == PASSPORT
        assert runtime.user.bookmarks() == ["arrested-or-detained", "passport-taken"]
        assert [e.name for e in runtime.user.documents.list()] == ["visa-KEPT.png"]  # the safe as it was
    finally:
        runtime.close()


def test_a_restore_that_fails_midway_takes_back_the_documents_it_added(tmp_path, monkeypatch):
    source = Runtime.open(_phone(tmp_path / "old-phone"))
    try:
        data = export_bytes(source.user, PASSPHRASE).data
    finally:
        source.close()
    phone = _phone(tmp_path / "phone", [("visa-KEPT.png", "PHOTO-MARKER-KEPT-1", DAY)], passport="KEPT-1")
    before = _everything(phone)
    # The safe itself (not the restore's check beforehand) refuses the second photo: the first
    # one, already sealed into the safe, must go again.
    sealed_one = max(p.stat().st_size for p in documents_dir(phone).iterdir())
    monkeypatch.setattr(documents, "MAX_TOTAL_BYTES", int(2.5 * sealed_one))  # room for one more
    monkeypatch.setattr(backup, "MAX_TOTAL_BYTES", 100 * sealed_one)
    runtime = Runtime.open(phone)
    try:
        with pytest.raises(BackupWontFit):
            restore_bytes(runtime.user, data, PASSPHRASE)
        assert runtime.user.setting("important_numbers") == {"passport": "KEPT-1"}
        assert [e.name for e in runtime.user.documents.list()] == ["visa-KEPT.png"]
    finally:
        runtime.close()
    assert _everything(phone) == before


def test_a_backup_full_of_documents_fits_the_file_limit_and_the_web_builds_connection():
    from app.ui import WEB_SOCKET_MAX_BYTES

    # The sealed part in base64: the photos, their listing (30 names of 80 characters at most), the tag.
    sealed = backup.MAX_BACKUP_DOCUMENT_BYTES + documents.MAX_DOCUMENTS * 300 + 64 * 1024
    largest_file = 4 * -(-sealed // 3) + 4096  # with the header around it
    assert largest_file <= backup.MAX_FILE_BYTES < WEB_SOCKET_MAX_BYTES
