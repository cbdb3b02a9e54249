"""A translation is missing, a machine's, stale (the English changed after it) or reviewed; the
phone's article query says which, so the article can warn about an unchecked or old translation."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import Session

from app.content import queries
from app.content.bundle_format import item_path
from app.content.embedded import ensure_embedded_installed
from app.content.translation_state import TranslationState, translation_state
from app.storage.engines import open_content_engine
from app.storage.paths import content_db
from tests.factories import NOW, sign_bundle, valid_items

ENGLISH = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("reviewed, updated_at, expected", [
    (None, None, TranslationState.missing),
    (False, ENGLISH, TranslationState.machine),
    (True, ENGLISH, TranslationState.reviewed),
    (True, ENGLISH + timedelta(days=1), TranslationState.reviewed),  # translated after the English
    (False, ENGLISH - timedelta(seconds=1), TranslationState.stale),
    (True, ENGLISH - timedelta(days=3), TranslationState.stale),  # a checked text goes stale too
    # SQLite hands the moment back without its offset: it is still UTC, not local time.
    (True, ENGLISH.replace(tzinfo=None), TranslationState.reviewed),
    (True, (ENGLISH - timedelta(hours=1)).replace(tzinfo=None), TranslationState.stale),
    # Items carry ISO strings, with other offsets: 13:00+01:00 is 12:00 UTC.
    (True, "2026-11-23T13:00:00+01:00", TranslationState.reviewed),
    (True, "2026-11-23T12:59:00+01:00", TranslationState.stale),
])
def test_state_of_one_translation(reviewed, updated_at, expected):
    assert translation_state(english_updated_at=ENGLISH, reviewed=reviewed, updated_at=updated_at) is expected


def _installed(tmp_path, items):
    _, root = sign_bundle(tmp_path / "bundle", items)
    (tmp_path / "root.json").write_bytes(root)
    home = tmp_path / "home"
    home.mkdir()
    ensure_embedded_installed(home, bundle_dir=tmp_path / "bundle", trusted_root_file=tmp_path / "root.json")
    return home


def test_the_article_query_says_how_far_the_shown_translation_is_checked(tmp_path):
    items = valid_items()
    items[item_path("text", "passport-taken", "my")]["reviewed"] = True
    km = items[item_path("text", "passport-taken", "km")]
    km["reviewed"] = True
    km["updated_at"] = (NOW - timedelta(days=2)).isoformat()  # written before the English last changed
    home = _installed(tmp_path, items)
    with Session(open_content_engine(content_db(home))) as session:
        state = {lang: queries.get_article(session, article_id="passport-taken", lang=lang).translation
                 for lang in ("en", "th", "my", "km")}
        fallback = queries.get_article(session, article_id="keep-documents", lang="th")
    assert state == {"en": None, "th": "machine", "my": "reviewed", "km": "stale"}
    assert (fallback.lang, fallback.translation) == ("en", None)  # English shown: no translation to judge
