"""From the content store to a phone (issue 14), over real HTTP with the real commands: the
publisher signs what staff approved (never a pending draft, never the content/ folder once the
store holds content), `python -m app sync` installs it, and a restore brings the old values back
as a newer version. The publisher reads the database without the power to write to it."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from datetime import datetime, timezone

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from app.content.export import export_installed
from app.content.fetch import HttpFetcher
from app.content.sync import sync
from app.storage.engines import open_content_engine_read_only
from app.storage.paths import CONTENT_SOURCE_DIR, TRUSTED_ROOT_FILE, content_db
from sync_server.db import engine_for, migrate_database, read_only_engine
from sync_server.editor.store import approve, current, current_items, import_source, propose, restore
from sync_server.local_process import running_sync_server
from sync_server.paths import DEV_KEY_DIR, REPO_ROOT
from sync_server.publishing.keys import load_keys
from sync_server.publishing.publisher import publish_round
from tests.editor_helpers import PEOPLE

ARTICLE_TEXT = "text/en/service-np-returnee-referrals.json"
CONTACT = "contact/np-emergency-police-100.json"


def _phone(*args: str, home) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "SAFE_JOURNEY_HOME": str(home)}
    result = subprocess.run([sys.executable, "-m", "app", *args, "--json"], cwd=REPO_ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _on_phone(home) -> tuple[str, str, int]:
    """(the article's English title, the contact's number, the installed version) the phone shows,
    read from the content database `app sync` installed (what `python -m app export` prints)."""
    engine = open_content_engine_read_only(content_db(home))
    with Session(engine) as session:
        installed = export_installed(session)
    engine.dispose()
    (article,) = [a for a in installed["articles"] if a["id"] == "service-np-returnee-referrals"]
    (contact,) = [c for c in installed["contacts"] if c["id"] == "np-emergency-police-100"]
    title = next(t["title"] for t in article["texts"] if t["lang"] == "en")
    return title, contact["short_number"], installed["bundle"]["version"]


def _update(home, server: str) -> str:
    """The phone's update code (what `python -m app sync` runs) over loopback HTTP; its status."""
    with httpx.Client(timeout=30) as client:
        result = sync(home, HttpFetcher(client, server), trusted_root=TRUSTED_ROOT_FILE.read_bytes(), languages={"en"})
    return result.status


def _edit(session: Session, path: str, change) -> dict:
    item = copy.deepcopy(current_items(session)[path])
    change(item)
    return propose(session, PEOPLE.np_editor, path, item, base_version=current(session, path).version)


def test_an_approved_edit_reaches_a_phone_and_a_restore_brings_the_old_values_back(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    data, home, no_folder = tmp_path / "server", tmp_path / "phone", tmp_path / "no-content-folder"
    keys = load_keys(DEV_KEY_DIR)
    engine = engine_for(data)
    migrate_database(engine)
    with Session(engine) as session:
        import_source(session, CONTENT_SOURCE_DIR)

    def publish() -> str:  # a folder that does not exist: only the store can be what is signed
        return publish_round(data, no_folder, keys, root_file=TRUSTED_ROOT_FILE, now=datetime.now(timezone.utc))

    assert publish() == "published"
    with running_sync_server(data) as base:
        server = f"{base}/repository"
        assert _phone("sync", "--server", server, home=home)["status"] == "updated"  # the real command, once
        old_title, old_number, first = _on_phone(home)
        assert old_number == "100"

        with Session(engine) as session:
            title = _edit(session, ARTICLE_TEXT, lambda item: item.update(title="Coming home to Nepal: referrals"))
            number = _edit(session, CONTACT, lambda item: item.update(short_number="112"))
        assert publish() == "unchanged"  # drafts are not published until a second person approves

        with Session(engine) as session:
            approve(session, PEOPLE.np_editor_2, title.id)
            approve(session, PEOPLE.np_editor_2, number.id)
        assert publish() == "published"
        assert _update(home, server) == "updated"
        title_then, number_then, then = _on_phone(home)
        assert (title_then, number_then) == ("Coming home to Nepal: referrals", "112")

        with Session(engine) as session:
            for path in (ARTICLE_TEXT, CONTACT):
                approve(session, PEOPLE.admin, restore(session, PEOPLE.np_editor, path, 1).id)
                assert current(session, path).version == 3
        assert publish() == "published"
        assert _update(home, server) == "updated"
        title_now, number_now, last = _on_phone(home)
    engine.dispose()
    assert (title_now, number_now) == (old_title, old_number) and last > then > first


def test_the_publisher_cannot_write_to_the_database(tmp_path, server_database):
    engine = engine_for(tmp_path)
    migrate_database(engine)
    engine.dispose()
    reader = read_only_engine(tmp_path)
    with reader.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM content_item")).scalar() == 0
        with pytest.raises(DBAPIError):
            connection.execute(text("INSERT INTO content_item (path, version) VALUES ('language/xx.json', 1)"))
    reader.dispose()
