"""The server's fast paths change nothing a phone gets: `check_items` (staff edits, publishing)
refuses exactly what build_rows refuses, also for an item it has seen valid before, and packs
written from items' bytes are the bytes encoding the parsed items gives."""

from __future__ import annotations

import json

import pytest

from app.content.bundle_format import encode_item, pack_group
from app.content.errors import ContentError
from app.content.rows import build_rows, check_items
from app.content.source import read_source
from app.storage.paths import CONTENT_SOURCE_DIR
from sync_server.publishing.repository import _pack
from tests.factories import valid_items

_BROKEN = [
    ("article/keep-documents.json", {"related": ["no-such-article"]}),
    ("article/keep-documents.json", {"topic_id": "nowhere"}),
    ("contact/my-emergency.json", {"short_number": "12 34"}),
    ("text/en/keep-documents.json", {"body": "[form](javascript:alert(1))"}),
    ("text/th/passport-taken.json", {"lang": "en"}),
    ("notice/example.json", {"starts": "2027-02-01"}),
]


@pytest.mark.parametrize(("path", "fields"), _BROKEN)
def test_check_items_refuses_what_build_rows_refuses_with_the_same_words(path, fields):
    items = valid_items()
    build_rows(items)
    check_items(items)  # valid: now remembered
    items[path] = {**items[path], **fields}
    with pytest.raises(ContentError) as by_rows:
        build_rows(items)
    for given in (items, {p: encode_item(item) for p, item in items.items()}):
        with pytest.raises(ContentError) as by_check:
            check_items(given)
        assert str(by_check.value) == str(by_rows.value)


def test_a_deleted_article_is_missed_by_its_texts_even_when_every_item_was_seen():
    items = valid_items()
    check_items(items)
    del items["article/keep-documents.json"]
    with pytest.raises(ContentError, match="no article with that id"):
        check_items(items)


def test_packs_from_item_bytes_are_the_bytes_of_the_parsed_items():
    items = read_source(CONTENT_SOURCE_DIR)
    groups: dict[str, dict[str, bytes]] = {}
    for path, item in items.items():
        groups.setdefault(pack_group(path), {})[path] = encode_item(item)
    assert len(groups) > 10  # common, and a text pack per language in every script
    for members in groups.values():
        assert _pack(members) == encode_item({path: json.loads(data) for path, data in members.items()})
