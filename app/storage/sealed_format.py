"""How a user database says its values are sealed, and with which keys.

A lost key must never be taken for damage, nor damage for a lost key. So the file says
it itself: SQLite's application_id in its header is set to SEALED_APPLICATION_ID in the
same transaction as the first sealed value, with a check value sealed by the device key
(app/storage/user_data.py does both). The mark is read from the raw bytes, in the main
file and in the write-ahead log: a file too damaged for SQLite still tells, and so does a
young database whose every write is still in the log (phone apps are killed, not closed).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.storage import sealing

SEALED_APPLICATION_ID = 0x534A3031  # "SJ01"
_MARK = SEALED_APPLICATION_ID.to_bytes(4, "big")
_APPLICATION_ID_OFFSET = 68  # in the database header, which is the start of page 1
_WAL_HEADER, _FRAME_HEADER = 32, 24
# A setting row holding a value sealed with the device key when the file was first sealed:
# keys that do not open it belong to another database.
KEYS_CHECK = "sealed_keys_check"
_CHECK_TIER = "d"
_CHECK_TEXT = b"safe-journey"


def check_value(device_key: bytes) -> str:
    return sealing.seal(device_key, _CHECK_TEXT, tier=_CHECK_TIER, context=KEYS_CHECK)


def _marked_in_wal(wal: Path) -> bool:
    """Does a committed copy of page 1 in the write-ahead log carry the mark?"""
    try:
        data = wal.read_bytes()
    except OSError:
        return False
    if len(data) < _WAL_HEADER:
        return False
    page_size = int.from_bytes(data[8:12], "big")
    salts = data[16:24]
    if page_size < 512:
        return False
    marked = pending = False
    offset = _WAL_HEADER
    while offset + _FRAME_HEADER + page_size <= len(data):
        frame = data[offset:offset + _FRAME_HEADER]
        if frame[8:16] != salts:  # left over from an earlier generation of the log
            break
        if int.from_bytes(frame[0:4], "big") == 1:
            start = offset + _FRAME_HEADER + _APPLICATION_ID_OFFSET
            pending = data[start:start + 4] == _MARK
        if int.from_bytes(frame[4:8], "big"):  # a commit frame
            marked = marked or pending
        offset += _FRAME_HEADER + page_size
    return marked


def is_marked_sealed(path: Path) -> bool:
    """Did this file ever hold a sealed value? Read from raw bytes: works on a damaged file."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError:
        header = b""
    if header[_APPLICATION_ID_OFFSET:_APPLICATION_ID_OFFSET + 4] == _MARK:
        return True
    return _marked_in_wal(path.with_name(path.name + "-wal"))


def keys_fit(path: Path, device_key: bytes) -> bool:
    """False only when the file holds a check value and this device key does not open it."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)  # reads the WAL too
        try:
            row = connection.execute("SELECT value FROM setting WHERE key = ?", (KEYS_CHECK,)).fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return True  # missing or damaged: nothing to compare, the salvage decides
    if row is None:
        return True
    try:
        return sealing.open_sealed(device_key, row[0], context=KEYS_CHECK) == _CHECK_TEXT
    except sealing.CannotOpen:
        return False
