"""`content import` and `content export` (issue 14): the content/ folder goes into the server's
store and comes back out as the same files, losing nothing (every kind, every language), and an
import never overwrites what staff changed."""

from __future__ import annotations

import copy
import shutil

import pytest
import yaml
from sqlmodel import Session

from app.content.source import read_source
from app.storage.paths import CONTENT_SOURCE_DIR
from sync_server.__main__ import _parser
from sync_server.db import engine_for
from sync_server.editor.source_writer import write_source
from sync_server.editor.store import approve, current_items, propose
from tests.editor_helpers import NP_POLICE, PEOPLE, small_items


def _run(*argv: str) -> None:
    args = _parser().parse_args(list(argv))
    args.run(args)


# content/ ships no notice today: the round trip gets one, written as an editor would.
_NOTICE = """id: np-floods
severity: warning
countries: [NP]
starts: 2026-11-01
ends: 2026-12-31
title:
  en: Floods in the Terai
  ne: "तराईमा बाढी"
body:
  en: |-
    Some roads are closed.
    Check before you travel.
"""


def test_content_goes_into_the_store_and_comes_back_as_the_same_files(tmp_path, server_database, capsys):
    source = tmp_path / "content"
    shutil.copytree(CONTENT_SOURCE_DIR, source)
    (source / "notices" / "np-floods.yaml").write_text(_NOTICE, encoding="utf-8")
    original = read_source(source)
    assert {path.split("/")[0] for path in original} == {
        "language", "country", "topic", "article", "text", "contact", "notice", "request_key"}
    _run("content", "import", "--from", str(source), "--data", str(tmp_path / "data"))
    _run("content", "export", "--to", str(tmp_path / "exported"), "--data", str(tmp_path / "data"))
    assert f"imported {len(original)} items" in capsys.readouterr().out
    exported = read_source(tmp_path / "exported")
    assert exported == original
    assert len({path.split("/")[1] for path in exported if path.startswith("text/")}) == 15  # every language


def test_an_import_if_empty_never_reverts_staff_edits(tmp_path, capsys):
    data = tmp_path / "data"
    _run("content", "import", "--from", str(CONTENT_SOURCE_DIR), "--data", str(data))
    engine = engine_for(data)
    path = "contact/np-emergency-police-100.json"
    with Session(engine) as session:
        item = copy.deepcopy(current_items(session)[path])
        item["texts"]["en"]["note"] = "Free from any phone."
        change = propose(session, PEOPLE.np_editor, path, item, base_version=1)
        approve(session, PEOPLE.np_editor_2, change.id)
    _run("content", "import", "--from", str(CONTENT_SOURCE_DIR), "--data", str(data), "--if-empty")
    assert "already holds" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        _run("content", "import", "--from", str(CONTENT_SOURCE_DIR), "--data", str(data))
    with Session(engine) as session:
        assert current_items(session)[path]["texts"]["en"]["note"] == "Free from any phone."
    engine.dispose()


def test_an_export_removes_deleted_items_and_keeps_other_files(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_SOURCE_DIR, folder)
    items = read_source(folder)
    gone = next(path for path in items if path.startswith("text/ne/"))
    del items[gone]
    write_source(items, folder)
    assert read_source(folder) == items
    assert (folder / "notices" / "README.md").exists() and (folder / "UNSOURCED.md").exists()


def test_an_edited_english_text_keeps_its_own_date(tmp_path):
    items = small_items()
    del items["notice/example.json"]  # the reader refuses example notices
    items["text/en/nepal-help.json"]["updated_at"] = "2026-11-27T20:15:00.123456+00:00"
    items[NP_POLICE] = {**items[NP_POLICE], "checked_by": "NP"}  # a field the writer does not know by name
    write_source(items, tmp_path)
    back = read_source(tmp_path)
    assert back["text/en/nepal-help.json"] == items["text/en/nepal-help.json"]
    assert back["article/nepal-help.json"] == items["article/nepal-help.json"]
    contacts = yaml.safe_load((tmp_path / "contacts" / "NP.yaml").read_text())["contacts"]
    assert contacts[0]["checked_by"] == "NP"
