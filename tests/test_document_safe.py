"""The document safe: photos sealed with the personal key before they touch the disk, each in
its own file; a damaged one is named and the others still open; a save killed midway leaves
no half document; limits are kept; "Delete all my data" and the app lock cover them."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from app.document_words import megabytes, problem_words
from app.runtime import Runtime
from app.storage import documents
from app.storage.documents import (
    DocumentDamaged,
    DocumentSafe,
    DocumentMissing,
    DocumentProblem,
    DocumentsLocked,
    DocumentTooBig,
    NoRoom,
    NotAPhoto,
    SafeFull,
)
from app.storage.paths import documents_dir
from app.storage.sealing import new_key
from tests.document_images import png_photo

MARKER = "PASSPORT-PX7Q-SAFE-4471"
NAME = "passport-of-MINA-7731.png"
PIN = "246810"


def _files_holding(home: Path, secret: str) -> list[str]:
    return [p.name for p in home.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


def test_a_photo_is_sealed_on_disk_and_opens_as_it_was(tmp_path):
    home = tmp_path / "home"
    runtime = Runtime.open(home)
    try:
        photo = png_photo(MARKER)
        entry = runtime.user.documents.add(NAME, photo)
        assert [(e.name, e.type, e.size) for e in runtime.user.documents.list()] == [(NAME, "image/png", len(photo))]
        assert runtime.user.documents.open(entry.id) == (entry, photo)
        assert runtime.user.documents.use().count == 1
    finally:
        runtime.close()
    assert MARKER.encode() in photo
    assert _files_holding(home, MARKER) == [] and _files_holding(home, "MINA-7731") == []
    stored = list(documents_dir(home).iterdir())
    assert [p.stat().st_mode & 0o777 for p in stored] == [0o600]
    assert documents_dir(home).stat().st_mode & 0o777 == 0o700


def test_a_damaged_document_is_named_and_the_others_still_open(tmp_path):
    home, elsewhere = tmp_path / "home", tmp_path / "other-phone"
    runtime = Runtime.open(home)
    other = Runtime.open(elsewhere)
    try:
        safe = runtime.user.documents
        visa = safe.add("visa.png", png_photo("VISA"), now=datetime(2026, 11, 1, tzinfo=timezone.utc))
        contract = safe.add("contract.png", png_photo("CONTRACT"), now=datetime(2026, 11, 2, tzinfo=timezone.utc))
        foreign = other.user.documents.add("theirs.png", png_photo("THEIRS"))
        # Sealed with another phone's keys, copied in:
        shutil.copy(documents_dir(elsewhere) / f"{foreign.id}.sjd", documents_dir(home) / f"{foreign.id}.sjd")
        # A byte of the visa photo changed on disk:
        path = documents_dir(home) / f"{visa.id}.sjd"
        data = bytearray(path.read_bytes())
        data[-40] ^= 0x01
        path.write_bytes(bytes(data))

        listed = safe.list()
        assert [(e.id, e.damaged) for e in listed] == [(contract.id, False), (visa.id, False), (foreign.id, True)]
        with pytest.raises(DocumentDamaged) as damaged:
            safe.open(visa.id)
        assert damaged.value.name == "visa.png"  # its description still opens: named
        with pytest.raises(DocumentDamaged) as unknown:
            safe.open(foreign.id)
        assert unknown.value.name is None
        assert safe.open(contract.id)[1] == png_photo("CONTRACT")
        with pytest.raises(DocumentMissing):
            safe.open("../user")
    finally:
        runtime.close()
        other.close()


def test_limits_are_said_and_nothing_is_half_kept(tmp_path, monkeypatch):
    runtime = Runtime.open(tmp_path / "home")
    try:
        safe = runtime.user.documents
        too_big = png_photo("BIG") + b"\0" * (documents.MAX_DOCUMENT_BYTES)
        with pytest.raises(DocumentTooBig):
            safe.add("big.png", too_big)
        with pytest.raises(NotAPhoto):
            safe.add("contract.pdf", b"%PDF-1.7 " + MARKER.encode())
        assert safe.list() == [] and safe.use().count == 0
        monkeypatch.setattr(documents, "MAX_DOCUMENTS", 2)
        safe.add("one.png", png_photo("1"))
        safe.add("two.png", png_photo("2"))
        with pytest.raises(SafeFull):
            safe.add("three.png", png_photo("3"))
        assert sorted(e.name for e in safe.list()) == ["one.png", "two.png"]
        assert len(list(documents_dir(runtime.home).iterdir())) == 2
    finally:
        runtime.close()


@pytest.fixture
def tiny_disk(tmp_path):
    """A real, small filesystem (tmpfs) that can be filled."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount_point)], check=True)
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=True)


def test_a_full_phone_is_said_and_nothing_is_half_kept(tiny_disk):
    key = new_key()
    safe = DocumentSafe(tiny_disk / "documents", lambda: key, lambda work: work())
    kept = safe.add("visa.png", png_photo("VISA"))
    (tiny_disk / "filler").write_bytes(b"\0" * (shutil.disk_usage(tiny_disk).free - 1_000_000))
    with pytest.raises(NoRoom):
        safe.add("photo.png", png_photo(MARKER, width=700, height=700, noise=True))  # about 1.5 MB
    assert [p.name for p in (tiny_disk / "documents").iterdir()] == [f"{kept.id}.sjd"]
    assert [e.id for e in safe.list()] == [kept.id]


def test_one_document_is_deleted(tmp_path):
    runtime = Runtime.open(tmp_path / "home")
    try:
        safe = runtime.user.documents
        kept, gone = safe.add("id.png", png_photo("ID")), safe.add("payslip.png", png_photo(MARKER))
        safe.delete(gone.id)
        assert [e.id for e in safe.list()] == [kept.id]
        with pytest.raises(DocumentMissing):
            safe.open(gone.id)
        assert len(list(documents_dir(runtime.home).iterdir())) == 1
    finally:
        runtime.close()


def test_with_the_lock_on_the_documents_open_only_after_the_pin(tmp_path):
    home = tmp_path / "home"
    runtime = Runtime.open(home)
    entry = runtime.user.documents.add(NAME, png_photo(MARKER))
    runtime.user.set_pin(PIN)
    runtime.close()
    runtime = Runtime.open(home)
    try:
        with pytest.raises(DocumentsLocked):
            runtime.user.documents.list()
        with pytest.raises(DocumentsLocked):
            runtime.user.documents.open(entry.id)
        with pytest.raises(DocumentsLocked):
            runtime.user.documents.add("more.png", png_photo("MORE"))
        assert runtime.user.unlock(PIN).unlocked
        assert runtime.user.documents.open(entry.id)[1] == png_photo(MARKER)
    finally:
        runtime.close()


def test_delete_all_my_data_removes_the_documents(tmp_path):
    home = tmp_path / "home"
    runtime = Runtime.open(home)
    try:
        runtime.user.documents.add(NAME, png_photo(MARKER))
        sealed = next(documents_dir(home).iterdir()).read_bytes()[-64:]
        runtime.delete_everything()
        assert runtime.user.documents.list() == []
    finally:
        runtime.close()
    assert not documents_dir(home).exists()
    assert [p.name for p in home.rglob("*") if p.is_file() and sealed in p.read_bytes()] == []


# Killed (kill -9) when the sealed document is written but not yet in place, as a phone kills an app.
_KILLED_WHILE_SAVING = """
import os, signal, sys
from pathlib import Path
from app.document_words import megabytes, problem_words
from app.runtime import Runtime
from tests.document_images import png_photo

runtime = Runtime.open(Path(sys.argv[1]))
os.replace = lambda *args: os.kill(os.getpid(), signal.SIGKILL)
runtime.user.documents.add("second.png", png_photo("SECOND", noise=True))
"""


def test_a_save_killed_midway_leaves_no_half_document(tmp_path):
    home = tmp_path / "home"
    runtime = Runtime.open(home)
    first = runtime.user.documents.add("first.png", png_photo("FIRST"))
    runtime.close()
    killed = subprocess.run([sys.executable, "-c", _KILLED_WHILE_SAVING, str(home)],
                            cwd=Path(__file__).resolve().parents[1], capture_output=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()[-800:]
    assert list(documents_dir(home).glob(".*.part"))  # the sealed half was there when it died

    runtime = Runtime.open(home)
    try:
        assert [e.id for e in runtime.user.documents.list()] == [first.id]
        assert runtime.user.documents.use().count == 1
    finally:
        runtime.close()
    assert sorted(p.name for p in documents_dir(home).iterdir()) == [f"{first.id}.sjd"]


def test_every_problem_has_its_own_words():
    kinds = DocumentProblem.__subclasses__()
    words = {problem_words(kind("x") if kind is DocumentDamaged else kind()) for kind in kinds}
    assert len(kinds) >= 7 and len(words) == len(kinds)
    assert (megabytes(0), megabytes(2_400_000), megabytes(900)) == ("0.0", "2.3", "0.1")


def test_the_advice_to_set_an_app_lock_is_given_only_while_none_is_set(tmp_path):
    from app.state import AppState
    from app.ui import Loaders

    runtime = Runtime.open(tmp_path / "home")
    try:
        loaders = Loaders(runtime=runtime, state=AppState())
        assert loaders.documents({}).lock_on is False  # the screen advises setting one
        runtime.user.set_pin(PIN)
        assert loaders.documents({}).lock_on is True  # set: only the backup advice is left
        runtime.user.remove_pin()
        assert loaders.documents({}).lock_on is False
    finally:
        runtime.close()
