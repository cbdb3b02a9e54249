"""The content model refuses bad content with an error that names the problem."""

import phonenumbers
import pytest

from app.content.errors import ContentError
from app.content.rows import build_rows
from tests.factories import valid_items

NEPAL_EXAMPLE = phonenumbers.format_number(phonenumbers.example_number("NP"), phonenumbers.PhoneNumberFormat.E164)


def test_valid_items_build_rows():
    rows = build_rows(valid_items())
    assert {a.id for a in rows.articles} == {"passport-taken", "keep-documents", "malaysia-help"}
    assert {t.lang for t in rows.article_texts} == {"en", "th", "my", "km"}
    assert [c.short_number for c in rows.contacts if c.kind == "emergency"] == ["999"]


def _broken(path: str, **changes) -> dict:
    items = valid_items()
    items[path].update(changes)
    return items


@pytest.mark.parametrize(
    ("path", "changes", "message"),
    [
        ("contact/my-red-crescent.json", {"phone": "03 1234"}, "not an E.164 number"),
        ("contact/my-red-crescent.json", {"phone": "+6012"}, "not a valid E.164 number"),
        ("contact/my-red-crescent.json", {"phone": "+60 3-1234 5678"}, "not a valid E.164 number"),
        ("contact/my-red-crescent.json", {"phone": NEPAL_EXAMPLE}, "belongs to NP, not MY"),
        ("contact/my-emergency.json", {"short_number": "12345678"}, "short number '12345678' is not an emergency number in MY"),
        ("contact/my-red-crescent.json", {"source": ""}, "source"),
        ("contact/my-red-crescent.json", {"verified_on": None}, "verified_on"),
        ("contact/my-red-crescent.json", {"country": "XX"}, "unknown country code 'XX'"),
        ("contact/my-red-crescent.json", {"kind": "police"}, "kind"),
        ("country/NP.json", {"code": "ZQ"}, "unknown country code 'ZQ'"),
        ("country/NP.json", {"roles": []}, "at least one role"),
        ("article/keep-documents.json", {"source": ""}, "source"),
        ("article/keep-documents.json", {"kind": "story"}, "kind"),
        ("article/keep-documents.json", {"related": ["no-such-article"]}, "related article 'no-such-article' does not exist"),
        ("article/keep-documents.json", {"topic_id": "nowhere"}, "topic 'nowhere' does not exist"),
        ("article/keep-documents.json", {"countries": ["ID"]}, "country 'ID' is not in countries.yaml"),
        ("article/passport-taken.json", {"contact_kinds": ["police"]}, "contact_kinds"),
        ("notice/example.json", {"ends": "2026-10-01"}, "ends before it starts"),
        ("topic/prepare.json", {"stage": "someday"}, "stage"),
    ],
)
def test_bad_content_is_refused_with_a_clear_error(path, changes, message):
    with pytest.raises(ContentError) as error:
        build_rows(_broken(path, **changes))
    assert message in str(error.value)
    assert path in str(error.value) or "article" in str(error.value) or "contact" in str(error.value)


def test_text_in_a_language_not_declared_is_refused():
    items = valid_items()
    del items["language/km.json"]
    with pytest.raises(ContentError, match="language is not in languages.yaml"):
        build_rows(items)


def test_article_without_english_text_is_refused():
    items = valid_items()
    del items["text/en/keep-documents.json"]
    with pytest.raises(ContentError, match="article keep-documents: no English text"):
        build_rows(items)


def test_valid_e164_phone_is_kept():
    # libphonenumber's own example number for Malaysia: valid, and belongs to nobody here.
    example = phonenumbers.format_number(phonenumbers.example_number("MY"), phonenumbers.PhoneNumberFormat.E164)
    rows = build_rows(_broken("contact/my-red-crescent.json", phone=example))
    assert [c.phone for c in rows.contacts if c.id == "my-red-crescent"] == [example]


@pytest.mark.parametrize(
    ("path", "changes"),
    [("text/th/passport-taken.json", {"lang": "en"}), ("contact/my-emergency.json", {"id": "other"})],
)
def test_an_item_at_the_wrong_path_is_refused(path, changes):
    with pytest.raises(ContentError, match="does not belong at this path"):
        build_rows(_broken(path, **changes))


def test_a_path_that_climbs_out_is_refused():
    items = valid_items()
    items["text/../../etc/x.json"] = items.pop("text/en/keep-documents.json")
    with pytest.raises(ContentError, match="not an item path"):
        build_rows(items)
