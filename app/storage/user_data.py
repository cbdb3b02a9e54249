"""Writes and reads of the user database: settings and bookmarks, sealed before they are stored.

Every value is sealed (app/storage/sealing.py) with one of two keys (app/storage/keys.py):
the device key for what the app needs before any PIN, the personal key for the rest.
Values written by a version of the app that did not seal them are read as they are and
sealed by `seal_plaintext` when the database opens.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlmodel import Session, select

from app.storage import sealed_format, sealing
from app.storage.keys import Keys
from app.storage.user_models import Bookmark, Setting

# Needed before the person unlocks the app: its language and look, updates, the country
# whose emergency numbers the lock screen and the error screen show, the wrong PINs, and
# what the background updates record (app/background_updates.py), which run while locked.
DEVICE_SETTINGS = frozenset({"language", "country", "text_step", "high_contrast", "data_use", "onboarded",
                             "extra_languages", "unlock_failures", "checked_timestamp"})
DEVICE, PERSONAL = "d", "p"
# What belongs to this phone, not to the person: never carried by a backup (app/storage/backup.py).
PHONE_ONLY_SETTINGS = frozenset({"unlock_failures", "checked_timestamp", sealed_format.KEYS_CHECK})
# PRAGMA user_version while plain values an older version wrote may still be in the file:
# set with their sealing, cleared once the file is rewritten, so a crash between retries.
SCRUB_PENDING = 1
BOOKMARK_CONTEXT = "bookmark"


def setting_tier(key: str) -> str:
    return DEVICE if key in DEVICE_SETTINGS else PERSONAL


def _key(keys: Keys, tier: str) -> bytes | None:
    return keys.device if tier == DEVICE else keys.personal


def _seal(keys: Keys, plaintext: str, *, tier: str, context: str) -> str:
    return sealing.seal(_key(keys, tier), plaintext.encode(), tier=tier, context=context)


def _locked_away(keys: Keys, stored: str) -> bool:
    """Sealed with the personal key while the app is locked: unreadable for now, not lost."""
    return keys.personal is None and sealing.is_sealed(stored) and stored[len(sealing.PREFIX):][:1] == PERSONAL


def _open(keys: Keys, stored: str, *, context: str) -> str:
    """Raises sealing.CannotOpen."""
    if not sealing.is_sealed(stored):
        return stored  # written before sealing: sealed when the database next opens
    key = _key(keys, sealing.tier_of(stored))
    if key is None:  # sealed with the personal key, and the app is locked
        raise sealing.CannotOpen(context)
    return sealing.open_sealed(key, stored, context=context).decode()


def setting_context(key: str) -> str:
    return f"setting:{key}"


def open_setting_value(keys: Keys, key: str, stored: str) -> Any:
    return json.loads(_open(keys, stored, context=setting_context(key)))


def get_setting(*, session: Session, keys: Keys, key: str, default: Any = None) -> Any:
    row = session.get(Setting, key)
    return default if row is None else open_setting_value(keys, key, row.value)


def _mark_sealed(session: Session, keys: Keys) -> None:
    """Say in the file that it holds sealed values, and with which keys (see
    app/storage/sealed_format.py): in the transaction of the first sealed write, so no
    crash leaves sealed values in a file that does not say so."""
    connection = session.connection()
    if connection.exec_driver_sql("PRAGMA application_id").scalar() == sealed_format.SEALED_APPLICATION_ID:
        return
    if session.get(Setting, sealed_format.KEYS_CHECK) is None:
        session.add(Setting(key=sealed_format.KEYS_CHECK, value=sealed_format.check_value(keys.device)))
    session.flush()  # its INSERT opens the transaction the mark joins
    connection.exec_driver_sql(f"PRAGMA application_id = {sealed_format.SEALED_APPLICATION_ID}")


def set_setting(*, session: Session, keys: Keys, key: str, value: Any) -> None:
    sealed = _seal(keys, json.dumps(value), tier=setting_tier(key), context=setting_context(key))
    session.merge(Setting(key=key, value=sealed))
    _mark_sealed(session, keys)
    session.commit()


def _bookmark_rows(session: Session, keys: Keys) -> list[tuple[Bookmark, str]]:
    """The saved articles these keys open, newest first. One that does not (changed on
    disk) is left out, never in the way of the others: `unopenable` reports it."""
    opened = []
    for row in session.exec(select(Bookmark).order_by(Bookmark.created_at.desc())).all():
        if _locked_away(keys, row.article_id):
            continue
        try:
            opened.append((row, _open(keys, row.article_id, context=BOOKMARK_CONTEXT)))
        except sealing.CannotOpen:
            continue
    return opened


def add_bookmark(*, session: Session, keys: Keys, article_id: str) -> None:
    # The stored id is sealed with a fresh nonce each time: look for it among the opened ones.
    if all(opened != article_id for _row, opened in _bookmark_rows(session, keys)):
        sealed = _seal(keys, article_id, tier=PERSONAL, context=BOOKMARK_CONTEXT)
        session.add(Bookmark(article_id=sealed, created_at=datetime.now(timezone.utc)))
        _mark_sealed(session, keys)
        session.commit()


def remove_bookmark(*, session: Session, keys: Keys, article_id: str) -> None:
    for row, opened in _bookmark_rows(session, keys):
        if opened == article_id:
            session.delete(row)
    session.commit()


def list_bookmarks(*, session: Session, keys: Keys) -> list[str]:
    return [opened for _row, opened in _bookmark_rows(session, keys)]


def unopenable(*, session: Session, keys: Keys) -> set[str]:
    """Names of the settings these keys do not open, and BOOKMARK_CONTEXT when a saved
    article does not: what the person must be told they lost. While the app is locked the
    personal values are not looked at (they are checked again at unlock)."""
    names = set()
    for row in session.exec(select(Setting)).all():
        if row.key == sealed_format.KEYS_CHECK or _locked_away(keys, row.value):
            continue
        try:
            open_setting_value(keys, row.key, row.value)
        except (sealing.CannotOpen, ValueError):
            names.add(row.key)
    for row in session.exec(select(Bookmark)).all():
        if _locked_away(keys, row.article_id):
            continue
        try:
            _open(keys, row.article_id, context=BOOKMARK_CONTEXT)
        except sealing.CannotOpen:
            names.add(BOOKMARK_CONTEXT)
            break
    return names


def everything(*, session: Session, keys: Keys) -> tuple[dict[str, Any], list[str]]:
    """Every setting these keys open (but the phone's own) and every saved article, oldest first."""
    settings = {}
    for row in session.exec(select(Setting)).all():
        if row.key in PHONE_ONLY_SETTINGS or _locked_away(keys, row.value):
            continue
        try:
            settings[row.key] = open_setting_value(keys, row.key, row.value)
        except (sealing.CannotOpen, ValueError):
            continue  # changed on disk: reported at opening, not copied
    return settings, list(reversed(list_bookmarks(session=session, keys=keys)))


def put_all(*, session: Session, keys: Keys, settings: dict[str, Any], bookmarks: list[str]) -> None:
    """Settings (these values win) and saved articles from a backup, in one transaction."""
    for key, value in settings.items():
        if key not in PHONE_ONLY_SETTINGS:
            sealed = _seal(keys, json.dumps(value), tier=setting_tier(key), context=setting_context(key))
            session.merge(Setting(key=key, value=sealed))
    have, now = set(list_bookmarks(session=session, keys=keys)), datetime.now(timezone.utc)
    for order, article_id in enumerate(bookmarks):  # oldest first: they keep their order
        if article_id not in have:
            have.add(article_id)
            sealed = _seal(keys, article_id, tier=PERSONAL, context=BOOKMARK_CONTEXT)
            session.add(Bookmark(article_id=sealed, created_at=now + timedelta(microseconds=order)))
    _mark_sealed(session, keys)
    session.commit()


def seal_plaintext(*, session: Session, keys: Keys) -> int:
    """Seal every value still stored in plain text (from an older version); how many were."""
    count = 0
    for row in session.exec(select(Setting)).all():
        if not sealing.is_sealed(row.value) and _key(keys, setting_tier(row.key)) is not None:
            row.value = _seal(keys, row.value, tier=setting_tier(row.key), context=setting_context(row.key))
            session.add(row)
            count += 1
    for row in session.exec(select(Bookmark)).all() if keys.personal is not None else ():
        if not sealing.is_sealed(row.article_id):
            # The id is the primary key: replace the row rather than change its key in place.
            session.delete(row)
            session.flush()
            sealed = _seal(keys, row.article_id, tier=PERSONAL, context=BOOKMARK_CONTEXT)
            session.add(Bookmark(article_id=sealed, created_at=row.created_at))
            count += 1
    if count:  # the plain copies still sit in free pages and the log until the file is rewritten
        session.flush()
        session.connection().exec_driver_sql(f"PRAGMA user_version = {SCRUB_PENDING}")
    if count or session.exec(select(Setting).limit(1)).first() or session.exec(select(Bookmark).limit(1)).first():
        _mark_sealed(session, keys)  # also a file sealed before the mark existed, or filled by a salvage
    session.commit()
    return count


def scrub_pending(*, session: Session) -> bool:
    return session.connection().exec_driver_sql("PRAGMA user_version").scalar() == SCRUB_PENDING
