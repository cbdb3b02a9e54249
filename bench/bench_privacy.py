"""What sealing the person's data costs: unlocking with a PIN, and opening the saved screen.

Prints, each the median of N runs:
- unlock: Argon2id over the PIN plus opening the wrapped personal key (what the lock
  screen waits for after "Unlock");
- the saved screen's reads (important numbers and 50 bookmarks) through the sealed user
  store, against the same rows read in plain text from a plain SQLite file in the same
  run (the floor): the difference is what sealing adds;
- the backup file (app/storage/backup.py): making it and opening it, each Argon2id over
  the passphrase plus AES-GCM over the same numbers and bookmarks, and its size;
- the document safe (app/storage/documents.py) with a 2 MB photo: adding it (sealed with
  AES-256-GCM, written beside, synced, renamed) against writing the same bytes plain and
  synced (the floor), and opening it against reading the plain file (the floor); and
  listing 10 documents (their sealed descriptions only).
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.storage import backup  # noqa: E402
from app.storage.documents import DocumentSafe  # noqa: E402
from app.storage.keys import Keys, StoredKeys, with_pin  # noqa: E402
from app.storage.user_store import UserStore  # noqa: E402
from tests.document_images import png_photo  # noqa: E402

RUNS = 15
PIN = "246810"
BOOKMARKS = [f"article-{i:03d}" for i in range(50)]
NUMBERS = {"passport": "PA1234567", "family_phone": "+977 9800000000", "employer_address": "Jalan 9, Kuala Lumpur"}


def _median_ms(work) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _document_safe_ms(folder: Path, key: bytes) -> dict[str, float]:
    photo = png_photo("BENCH", width=820, height=850, noise=True)  # about 2 MB, like a phone's photo
    safe = DocumentSafe(folder / "documents", lambda: key, lambda work: work())
    plain = folder / "plain-photo.png"

    def write_plain() -> None:
        with open(plain, "wb") as handle:
            handle.write(photo)
            handle.flush()
            os.fsync(handle.fileno())

    added = safe.add("passport.png", photo)
    write_plain()
    times = {"photo_mb": len(photo) / 1024 / 1024,
             "add": _median_ms(lambda: safe.add("passport.png", photo)), "write_plain": _median_ms(write_plain),
             "open": _median_ms(lambda: safe.open(added.id)), "read_plain": _median_ms(plain.read_bytes)}
    assert safe.open(added.id)[1] == photo
    for extra in safe.list()[10:]:
        safe.delete(extra.id)
    times["list_10"] = _median_ms(safe.list)
    return times


def main() -> None:
    keys = Keys.new()
    stored = StoredKeys(device=keys.device, personal=keys.personal)
    with tempfile.TemporaryDirectory() as folder:
        sealed_store = UserStore.on_disk(Path(folder) / "user.db", stored, None)
        sealed_store.set_setting("important_numbers", NUMBERS)
        for article_id in BOOKMARKS:
            sealed_store.add_bookmark(article_id)
        plain = sqlite3.connect(Path(folder) / "plain.db", check_same_thread=False)
        plain.execute("CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT)")
        plain.execute("CREATE TABLE bookmark (article_id TEXT PRIMARY KEY, created_at TEXT)")
        plain.execute("INSERT INTO setting VALUES ('important_numbers', ?)", (json.dumps(NUMBERS),))
        plain.executemany("INSERT INTO bookmark VALUES (?, '2026-11-27')", [(a,) for a in BOOKMARKS])
        plain.commit()

        def sealed_reads() -> None:
            assert sealed_store.setting("important_numbers") == NUMBERS
            assert len(sealed_store.bookmarks()) == len(BOOKMARKS)

        def plain_reads() -> None:
            row = plain.execute("SELECT value FROM setting WHERE key = 'important_numbers'").fetchone()
            assert json.loads(row[0]) == NUMBERS
            assert len(plain.execute("SELECT article_id FROM bookmark ORDER BY created_at DESC").fetchall()) == 50

        sealed_ms, plain_ms = _median_ms(sealed_reads), _median_ms(plain_reads)
        locked = with_pin(stored, keys.personal, PIN)
        locked_store = UserStore(sealed_store.engine, in_memory=False, stored=locked)

        def unlock() -> None:
            locked_store.forget_personal_key()
            assert locked_store.unlock(PIN).unlocked

        unlock_ms = _median_ms(unlock)
        contents = {"settings": {"important_numbers": NUMBERS}, "bookmarks": BOOKMARKS}
        passphrase = "mango tree by the river 7"
        made = backup.seal_backup(contents, passphrase)
        seal_ms = _median_ms(lambda: backup.seal_backup(contents, passphrase))
        open_ms = _median_ms(lambda: backup.open_backup(made, passphrase))
        documents = _document_safe_ms(Path(folder), keys.personal)
        sealed_store.close()
        plain.close()
    print(f"unlock (Argon2id t=3, m=32 MiB, p=1, then AES-GCM): median {unlock_ms:.0f} ms (n={RUNS})")
    print(f"saved screen reads, sealed: median {sealed_ms:.2f} ms; plain SQLite floor: {plain_ms:.2f} ms; "
          f"sealing adds {sealed_ms - plain_ms:.2f} ms (n={RUNS})")
    print(f"backup (Argon2id t={backup.ARGON2_TIME_COST}, m={backup.ARGON2_MEMORY_KIB // 1024} MiB, p=1, then AES-GCM): "
          f"make median {seal_ms:.0f} ms, open median {open_ms:.0f} ms, {len(made)} bytes (n={RUNS})")
    d = documents
    print(f"document safe, a {d['photo_mb']:.1f} MB photo: add (seal, write, fsync, rename) median {d['add']:.1f} ms, "
          f"plain write+fsync floor {d['write_plain']:.1f} ms; open median {d['open']:.2f} ms, plain read floor "
          f"{d['read_plain']:.2f} ms; list of 10 median {d['list_10']:.2f} ms (n={RUNS})")


if __name__ == "__main__":
    main()
