"""A contact whose number a National Society's staff confirmed says so on the phone: "Checked by
<the Society, in the reader's language> on <the date, as the reader's language writes it>"."""

from __future__ import annotations

import shutil

import pytest
from sqlmodel import Session

from app.content import queries
from app.content.bundle_format import item_path
from app.content.embedded import ensure_embedded_installed
from app.content.errors import ContentError
from app.content.rows import build_rows
from app.content.source import read_source
from app.i18n import set_language
from app.storage.engines import open_content_engine
from app.storage.paths import CONTENT_SOURCE_DIR, content_db
from app.views.contacts import checked_words
from tests.factories import sign_bundle, valid_items

THAI_SOCIETY = "สภาเสี้ยววงเดือนแดงมาเลเซีย"


def _checked_items() -> dict[str, dict]:
    items = valid_items()
    items[item_path("contact", "my-emergency")]["checked_by"] = "my"  # a code as staff may type it
    items[item_path("contact", "my-red-crescent")]["texts"]["th"] = {"name": THAI_SOCIETY, "note": ""}
    return items


def test_checked_by_names_a_country_in_capitals():
    rows = build_rows(_checked_items())
    assert {c.id: c.checked_by for c in rows.contacts} == {"my-emergency": "MY", "my-red-crescent": None}


@pytest.mark.parametrize("society, message", [
    ("XX", "unknown country code"),
    ("TH", "checked_by 'TH' has no National Society contact"),  # a country, but no Society in the content
])
def test_checked_by_must_be_a_society_of_the_content(society, message):
    items = _checked_items()
    items[item_path("contact", "my-emergency")]["checked_by"] = society
    with pytest.raises(ContentError, match=message):
        build_rows(items)


def _installed(tmp_path, items):
    _, root = sign_bundle(tmp_path / "bundle", items)
    (tmp_path / "root.json").write_bytes(root)
    home = tmp_path / "home"
    home.mkdir()
    ensure_embedded_installed(home, bundle_dir=tmp_path / "bundle", trusted_root_file=tmp_path / "root.json")
    return home


def test_the_card_names_the_society_in_the_readers_language(tmp_path):
    home = _installed(tmp_path, _checked_items())
    with Session(open_content_engine(content_db(home))) as session:
        cards = {lang: {c.id: c.checked_by for c in queries.contacts_for(session, country="MY", lang=lang)}
                 for lang in ("en", "th", "km")}
    assert cards["en"] == {"my-emergency": "Malaysian Red Crescent Society", "my-red-crescent": None}
    assert cards["th"]["my-emergency"] == THAI_SOCIETY
    assert cards["km"]["my-emergency"] == "Malaysian Red Crescent Society"  # no Khmer name: English


def test_the_card_says_who_checked_and_when_in_the_readers_words(tmp_path):
    home = _installed(tmp_path, _checked_items())
    with Session(open_content_engine(content_db(home))) as session:
        checked, unchecked = queries.contacts_for(session, country="MY", lang="en")
        thai = queries.contacts_for(session, country="MY", lang="th")[0]
    try:
        set_language("en")
        assert checked_words(checked, "en") == "Checked by Malaysian Red Crescent Society on November 23, 2026"
        assert checked_words(unchecked, "en") == "Checked on November 23, 2026"
        set_language("th")
        words = checked_words(thai, "th")
        assert THAI_SOCIETY in words and "พฤศจิกายน" in words and "Checked" not in words  # Thai words, Thai month
    finally:
        set_language("en")


def test_the_source_reads_checked_by_and_leaves_unconfirmed_contacts_as_they_were(tmp_path):
    source = tmp_path / "content"
    shutil.copytree(CONTENT_SOURCE_DIR, source)
    contacts = source / "contacts" / "NP.yaml"
    contacts.write_text(contacts.read_text().replace("- id: np-emergency-police-100\n",
                                                     "- id: np-emergency-police-100\n  checked_by: np\n", 1))
    items = read_source(source)
    assert items[item_path("contact", "np-emergency-police-100")]["checked_by"] == "NP"
    # No key at all where no Society confirmed the number: the signed bytes (and phones' copies) stay the same.
    assert [path for path, item in items.items() if "checked_by" in item] == [item_path("contact", "np-emergency-police-100")]
    assert {c.id: c.checked_by for c in build_rows(items).contacts if c.checked_by} == {"np-emergency-police-100": "NP"}
