"""Articles end in plain words about their source, in the reader's language, never
"lines 751-760" or a file name."""

from __future__ import annotations

import re
from pathlib import Path

import frontmatter
import pytest

from app.content.source_kinds import OTHER, source_kinds
from app.i18n import set_language
from app.storage.paths import CONTENT_SOURCE_DIR
from app.views.article import source_words

ARTICLES = sorted((Path(CONTENT_SOURCE_DIR) / "articles").glob("*.md"))
STAFF_WORDS = re.compile(r"\blines?\s+\d|\.yaml|https?://|OP\d{6}")


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_every_article_source_has_plain_words(path):
    source = frontmatter.load(path).metadata["source"]
    assert OTHER not in source_kinds(source), source
    assert not STAFF_WORDS.search(source_words(source, "en"))


@pytest.mark.parametrize("lang", ["ne", "my", "ur"])
def test_the_source_line_is_in_the_readers_language(lang):
    source = "content/contacts/MY.yaml; IFRC Asia Pacific, Labour migration and trafficking guidance note (2018), lines 1-2"
    set_language(lang)
    try:
        words = source_words(source, lang)
    finally:
        set_language("en")
    assert "IFRC" in words and "guidance note" not in words and not STAFF_WORDS.search(words)


def test_an_unknown_source_is_said_as_written():
    assert source_words("A new report (2027)", "en") == "A new report (2027)"
