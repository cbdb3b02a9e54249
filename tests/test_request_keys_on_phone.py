"""The server's request key reaches the phone only inside signed content."""

from __future__ import annotations

import base64
import sqlite3
from datetime import date

import pytest
import yaml
from nacl.public import PrivateKey
from sqlmodel import Session

from app.content.bundle_format import item_path
from app.content.embedded import ensure_embedded_installed
from app.content.errors import ContentError
from app.content.integrity import Damage, check_installed
from app.content.request_keys import current_request_key
from app.content.rows import build_rows
from app.content.schemas import request_key_id
from app.storage.engines import open_content_engine
from app.storage.paths import CONTENT_SOURCE_DIR, content_db
from tests.factories import sign_bundle, valid_items


def _key_item(valid_from: str) -> tuple[str, dict, bytes]:
    public = bytes(PrivateKey.generate().public_key)
    key_id = request_key_id(public)
    return item_path("request_key", key_id), {
        "key_id": key_id, "public_key": base64.b64encode(public).decode(), "valid_from": valid_from}, public


def _install(tmp_path, items):
    _, root = sign_bundle(tmp_path / "bundle", items)
    (tmp_path / "root.json").write_bytes(root)
    home = tmp_path / "home"
    home.mkdir()
    ensure_embedded_installed(home, bundle_dir=tmp_path / "bundle", trusted_root_file=tmp_path / "root.json")
    return home


def _current(home, today=None):
    engine = open_content_engine(content_db(home))
    try:
        with Session(engine) as session:
            return current_request_key(session, today=today)
    finally:
        engine.dispose()


def test_the_embedded_bundle_carries_the_key_in_content_request_keys_yaml(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    ensure_embedded_installed(home)
    listed = yaml.safe_load((CONTENT_SOURCE_DIR / "request_keys.yaml").read_text())
    newest = max(listed, key=lambda entry: entry["from"])
    key = _current(home)
    assert key is not None
    assert key.key_id == newest["key_id"]
    assert base64.b64encode(key.public_key).decode() == newest["public_key"]


def test_the_newest_key_in_force_is_current(tmp_path):
    items = valid_items()
    old_path, old, old_public = _key_item("2026-01-01")
    new_path, new, new_public = _key_item("2026-11-01")
    later_path, later, _ = _key_item("2027-06-01")
    items.update({old_path: old, new_path: new, later_path: later})
    home = _install(tmp_path, items)
    assert _current(home, today=date(2026, 12, 1)).public_key == new_public
    assert _current(home, today=date(2026, 6, 1)).public_key == old_public
    assert _current(home, today=date(2027, 6, 1)).key_id == later["key_id"]


def test_content_without_a_key_gives_none(installed_home):
    assert _current(installed_home) is None


@pytest.mark.parametrize("change", [
    {"key_id": "0123456789abcdef"},  # an id that does not name the key
    {"public_key": base64.b64encode(b"short").decode()},
    {"public_key": "not base64!"},
])
def test_a_key_whose_id_or_bytes_are_wrong_is_refused(change):
    items = valid_items()
    path, item, _ = _key_item("2026-11-01")
    item.update(change)
    items[item_path("request_key", item["key_id"])] = item
    with pytest.raises(ContentError, match="request key"):
        build_rows(items)


def test_a_key_written_into_content_db_outside_a_signed_install_is_found(tmp_path):
    items = valid_items()
    path, item, public = _key_item("2026-11-01")
    items[path] = item
    home = _install(tmp_path, items)
    forged = bytes(PrivateKey.generate().public_key)
    connection = sqlite3.connect(content_db(home))
    connection.execute("UPDATE requestkey SET public_key = ?", (base64.b64encode(forged).decode(),))
    connection.commit()
    connection.close()
    engine = open_content_engine(content_db(home))
    with Session(engine) as session:
        assert check_installed(session).damage == Damage.rows
    engine.dispose()


def test_a_content_db_never_installed_from_a_signed_bundle_is_not_content(tmp_path):
    path = tmp_path / "content.db"
    engine = open_content_engine(path)
    public = bytes(PrivateKey.generate().public_key)
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO requestkey VALUES (?, ?, ?)",
                                   (request_key_id(public), base64.b64encode(public).decode(), "2026-01-01"))
    with Session(engine) as session:
        assert check_installed(session).damage == Damage.items
    engine.dispose()
