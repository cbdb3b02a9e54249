"""Emergency numbers when the app's data cannot be opened at all.

Read straight from the embedded bundle's common pack (it ships inside the app, as
trusted as the app itself) and the chosen country straight from the user database,
with no engine, no migration, nothing that could be what failed.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from datetime import date
from pathlib import Path

from app.content.dto import ContactCard
from app.content.schemas import tel_uri
from app.storage.paths import EMBEDDED_BUNDLE_DIR, user_db, user_key_file

log = logging.getLogger(__name__)


def saved_setting(home: Path, key: str) -> str | None:
    """A setting the app needs before any PIN (country, language), read straight from the
    file and opened with the device key; None if it cannot be."""
    try:  # the last resort: whatever is wrong, the emergency numbers must still show
        from app.storage.keys import FileKeyStore, load_keys
        from app.storage.user_data import DEVICE_SETTINGS, open_setting_value

        if key not in DEVICE_SETTINGS:
            return None  # anything else may need the PIN
        row = _setting_row(home, key)
        if row is None:
            return None
        stored = load_keys(FileKeyStore(user_key_file(home)))
        return open_setting_value(stored.keys(), key, row[0]) if stored else json.loads(row[0])
    except Exception:  # noqa: BLE001
        log.warning("setting %r could not be read straight from the file", key)
        return None


def _setting_row(home: Path, key: str) -> tuple | None:
    # Read-only sees what the running app has just written (its database is in WAL mode);
    # if the files cannot be opened that way (damaged, locked), the main file alone as it is.
    try:
        return _first_row(f"file:{user_db(home)}?mode=ro", key)
    except sqlite3.Error:
        return _first_row(f"file:{user_db(home)}?immutable=1", key)


def _first_row(uri: str, key: str) -> tuple | None:
    connection = sqlite3.connect(uri, uri=True, timeout=1)
    try:
        return connection.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    finally:
        connection.close()


def emergency_contacts(country: str | None, lang: str, bundle_dir: Path = EMBEDDED_BUNDLE_DIR) -> list[ContactCard]:
    """Emergency contacts of `country` (of every country when None), from the embedded bundle."""
    cards: list[ContactCard] = []
    try:
        for pack in (bundle_dir / "targets" / "packs").glob("*.common.json"):
            for path, item in json.loads(pack.read_bytes()).items():
                if not path.startswith("contact/") or item.get("kind") != "emergency":
                    continue
                if country and item.get("country") != country:
                    continue
                texts = item.get("texts", {})
                text = texts.get(lang) or texts.get("en") or {}
                dial = item.get("short_number") or item.get("phone")
                if dial:
                    cards.append(ContactCard(
                        id=item["id"], country=item["country"], kind="emergency",
                        services=tuple(item.get("services") or ("unknown",)), name=text.get("name", ""),
                        note=text.get("note", ""), dial=dial, tel=tel_uri(dial), website=None,
                        source=item.get("source", ""),
                        verified_on=date.fromisoformat(item["verified_on"]),
                    ))
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        log.exception("emergency numbers could not be read from the embedded bundle")
    return sorted(cards, key=lambda c: (c.country, c.id))
