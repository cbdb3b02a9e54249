"""The staff editor's forms turn what a browser sends into content items (trimmed, E.164
numbers, dates checked, nothing too long) and its preview shows a text as the phone would:
no raw HTML, no image from the network, no `javascript:` link."""

from __future__ import annotations

import pytest

from sync_server.editor.web import forms
from sync_server.editor.web.preview import render_preview

CONTACT = {"id": "np-rfl", "country": "NP", "kind": "rfl", "phone": None, "short_number": None, "website": None,
           "source": "a page", "verified_on": "2026-11-23", "updated_at": "2026-11-23T00:00:00+00:00",
           "texts": {"en": {"name": "Family links", "note": ""}, "ne": {"name": "परिवार", "note": ""}}}
CONTACT_FORM = {"phone": "+977 1-4270650", "short_number": "", "website": "", "source": " the Society's office, by phone ",
                "verified_on": "2026-11-20", "name": "Family links", "note": ""}


def test_a_contact_form_makes_an_e164_number_and_keeps_the_other_languages():
    item = forms.contact_from_form(CONTACT, CONTACT_FORM)
    assert item["phone"] == "+97714270650"
    assert item["source"] == "the Society's office, by phone"
    assert item["verified_on"] == "2026-11-20"
    assert item["texts"]["ne"] == {"name": "परिवार", "note": ""}
    assert (item["short_number"], item["website"]) == (None, None)


@pytest.mark.parametrize("change, field", [
    ({"source": "  "}, "source"),
    ({"verified_on": ""}, "verified_on"),
    ({"verified_on": "20 Nov"}, "verified_on"),
    ({"verified_on": "2999-01-01"}, "verified_on"),
    ({"name": ""}, "name"),
    ({"note": "x" * (forms.NOTE_MAX + 1)}, "note"),
])
def test_a_contact_form_that_cannot_be_a_contact_names_its_field(change, field):
    with pytest.raises(forms.FieldError) as refused:
        forms.contact_from_form(CONTACT, {**CONTACT_FORM, **change})
    assert refused.value.field == field


@pytest.mark.parametrize("typed, words", [
    ("+977 1 4270650 ext 5", "has an extension"),
    ("+977 1 4270650 #5", "has an extension"),
    ("+977 ABC", "has letters in it"),
    ("+977 1 4270650 / 51", "has signs that are not part of a phone number"),
    ("+977 12", "is not a valid phone number"),
])
def test_a_phone_with_letters_or_an_extension_is_refused_quoting_what_was_typed(typed, words):
    # Read as a number, "ext 5" would be dropped and "ABC" saved as 222: the editor never typed those.
    with pytest.raises(forms.FieldError) as refused:
        forms.contact_from_form(CONTACT, {**CONTACT_FORM, "phone": typed})
    assert refused.value.field == "phone"
    assert refused.value.message.startswith(f"“{typed}” {words}")
    assert "+97714270650" not in refused.value.message and "+977222" not in refused.value.message


def test_an_article_text_past_the_limit_is_refused_without_repeating_it():
    with pytest.raises(forms.FieldError) as refused:
        forms.text_from_form(None, "a", "en", {"title": "T", "body": "x" * 5_000_000})
    assert refused.value.field == "body"
    assert len(refused.value.message) < 100


def test_a_new_article_text_starts_unreviewed_and_an_edit_keeps_the_rest():
    new = forms.text_from_form(None, "not-paid", "ne", {"title": " T ", "summary": "", "body": "B\r\nC"})
    assert (new["article_id"], new["lang"], new["reviewed"], new["title"], new["body"]) == ("not-paid", "ne", False, "T", "B\nC")
    edited = forms.text_from_form({**new, "reviewed": True}, "not-paid", "ne", {"title": "U", "body": "B"})
    assert edited["reviewed"] is True and edited["title"] == "U"


NOTICE_FORM = {"id": "nepal-floods", "countries": "np, MY np", "severity": "danger", "starts": "2026-11-27",
               "ends": "2026-12-03", "title_en": "Floods", "body_en": "Stay away from rivers.",
               "extra_lang": "ne", "title_extra": "बाढी", "body_extra": ""}


def test_a_notice_form_makes_a_notice_in_several_languages():
    item = forms.notice_from_form(None, NOTICE_FORM, {"en", "ne"})
    assert item["countries"] == ["NP", "MY"]
    assert item["texts"] == {"en": {"title": "Floods", "body": "Stay away from rivers."}, "ne": {"title": "बाढी", "body": ""}}
    assert (item["starts"], item["ends"], item["example"]) == ("2026-11-27", "2026-12-03", False)


@pytest.mark.parametrize("change, field", [
    ({"ends": "2026-11-26"}, "ends"),
    ({"countries": " "}, "countries"),
    ({"severity": "apocalypse"}, "severity"),
    ({"id": "Bad Name"}, "id"),
    ({"title_en": ""}, "title_en"),
    ({"extra_lang": "xx"}, "extra_lang"),
])
def test_a_notice_form_that_cannot_be_a_notice_names_its_field(change, field):
    with pytest.raises(forms.FieldError) as refused:
        forms.notice_from_form(None, {**NOTICE_FORM, **change}, {"en", "ne"})
    assert refused.value.field == field


def test_the_preview_shows_no_raw_html_no_remote_image_and_no_script_link():
    html = str(render_preview("## Help\n\n<script>alert(1)</script>\n\n![pixel](https://tracker.example/p.png)\n\n"
                              "[click](javascript:alert(1)) [site](https://ifrc.org) [other page](/articles/not-paid)"))
    assert "<h2>Help</h2>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html and "[Image: pixel]" in html
    assert 'href="javascript' not in html
    assert '<a href="https://ifrc.org"' in html
    assert '<span class="in-app-link">other page</span>' in html
