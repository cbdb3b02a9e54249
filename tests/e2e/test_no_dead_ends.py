"""Guides end with something to do, in the reader's language (a real browser at phone size).

"Contact your embassy" or "the Red Cross can find your relative" is followed by the
contacts we hold for the person's countries, and where we hold none, by what to do
instead, in the person's own words. A contact note not yet translated is never shown in
place of the reader's language; it waits behind a button saying it is in English.
"""

from __future__ import annotations

import re

import pytest
import yaml
from playwright.sync_api import expect

from tests.e2e.conftest import ONBOARDED, assert_no_sideways_scroll, install_edited_content
from tests.e2e.test_shell import by_id, scroll_to

pytestmark = pytest.mark.e2e

# Every word the screen reader can reach: text of the nodes and their labels.
SCREEN_WORDS_JS = """() => [...document.querySelectorAll('flt-semantics-host *')]
    .map(e => [e.getAttribute('aria-label') || '', [...e.childNodes].filter(n => n.nodeType === 3)
    .map(n => n.textContent).join(' ')].join(' ')).join('\\n')"""
ENGLISH_NOTE = "We do not have a checked phone number"


def _contact_name(country: str, contact_id: str, lang: str) -> str:
    from app.storage.paths import CONTENT_SOURCE_DIR

    contacts = yaml.safe_load((CONTENT_SOURCE_DIR / "contacts" / f"{country}.yaml").read_text(encoding="utf-8"))["contacts"]
    return " ".join(next(c for c in contacts if c["id"] == contact_id)["name"][lang].split())


def screen_words(page) -> str:
    return page.evaluate(SCREEN_WORDS_JS)


def test_a_nepali_reader_whose_passport_was_taken_in_malaysia_finds_the_nepali_embassy(launch_app, open_url, shoot):
    app = launch_app(ONBOARDED | {"language": "ne", "country": "MY", "origin": "NP"})
    page = open_url(app.url + "articles/passport-taken")
    # Nepal's own embassy in Malaysia (and no other country's), named and explained in Nepali.
    scroll_to(page, by_id(page, "contact-my-embassy-np"))
    expect(page.get_by_role("group", name=re.compile("नेपाली राजदूतावास, क्वालालम्पुर"))).to_be_visible()
    expect(by_id(page, "note-my-embassy-np")).to_contain_text("दूतावास")
    expect(by_id(page, "web-my-embassy-np")).to_be_visible()
    # How strong the source is, in Nepali: the Embassy's own government website.
    expect(by_id(page, "source-my-embassy-np")).to_contain_text("सरकारी वेबसाइटबाट")
    shoot(page, "guide-passport-taken-ne-embassy")
    assert page.locator('[flt-semantics-identifier="contact-my-embassy-bd"]').count() == 0
    shoot(page, "guide-passport-taken-ne-next-step")
    # The Red Cross at home too, since the reader comes from Nepal.
    scroll_to(page, by_id(page, "contact-np-national-society"))
    expect(by_id(page, "note-np-national-society")).to_contain_text("फोन नम्बर")
    shoot(page, "guide-passport-taken-ne-home-contacts")
    assert ENGLISH_NOTE not in screen_words(page)
    assert_no_sideways_scroll(page)


def _without_burmese_note(contact_id: str):
    """An edit of the content that takes the Burmese text of a contact's note away."""
    def edit(source):
        path = source / "contacts" / "MM.yaml"
        contacts = yaml.safe_load(path.read_text(encoding="utf-8"))
        for contact in contacts["contacts"]:
            if contact["id"] == contact_id:
                del contact["how_to_reach"]["my"]
        path.write_text(yaml.safe_dump(contacts, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return edit


def test_a_burmese_family_looking_for_a_son_gets_the_tracing_contact(tmp_path, launch_app, open_url, shoot):
    app = launch_app(ONBOARDED | {"language": "my", "role": "family", "country": "MM", "origin": "MM"})
    page = open_url(app.url + "articles/lost-contact-with-family")
    scroll_to(page, by_id(page, "contact-mm-rfl"))
    expect(page.get_by_role("group", name=re.compile(re.escape(_contact_name("MM", "mm-rfl", "my"))))).to_be_visible()
    expect(by_id(page, "web-mm-rfl")).to_be_visible()
    expect(by_id(page, "note-mm-rfl")).to_contain_text("ကြက်ခြေနီ")
    assert "Ask the Myanmar Red Cross Society" not in screen_words(page)
    shoot(page, "guide-lost-contact-my")
    # A note not translated yet (as when a contact arrives in English first) is kept, behind a
    # button that says it is in English, never shown in place of the reader's language.
    install_edited_content(app, tmp_path, _without_burmese_note("mm-rfl"))
    page = open_url(app.url + "articles/lost-contact-with-family")
    scroll_to(page, by_id(page, "note-english-mm-rfl")).click()
    expect(by_id(page, "note-english-mm-rfl")).to_have_attribute(
        "aria-label", re.compile("^Ask the Myanmar Red Cross Society"))
    assert_no_sideways_scroll(page)


def test_a_guide_read_before_choosing_a_country_offers_the_way_to_choose_one(launch_app, open_url):
    app = launch_app(ONBOARDED | {"country": None, "origin": None})
    page = open_url(app.url + "articles/passport-taken")
    scroll_to(page, by_id(page, "article-choose-country")).click()
    expect(by_id(page, "settings-country")).to_be_visible()


@pytest.mark.parametrize(("lang", "country", "origin", "hotline", "number", "title_words"), [
    ("ne", "MY", "NP", "my-hotline-talian-kasih-15999", "15999", "मलेसिया"),
    ("my", "TH", "MM", "th-hotline-1694-department-of-employment", "1694", "ထိုင်း"),
])
def test_a_reader_opens_where_to_get_help_in_their_language_and_reaches_a_hotline(
        launch_app, open_url, shoot, lang, country, origin, hotline, number, title_words):
    """Issue 16's walk: the country's help page in the reader's language ends with a hotline to call."""
    app = launch_app(ONBOARDED | {"language": lang, "role": "abroad", "country": country, "origin": origin})
    page = open_url(app.url + f"articles/help-in-{country.lower()}")
    expect(by_id(page, "article-title")).to_contain_text(title_words)
    call = scroll_to(page, by_id(page, f"call-{hotline}"))
    # The button says, in the reader's language, which number it calls.
    expect(call.get_by_role("button")).to_have_accessible_name(re.compile(rf"^(?!Call ).*{number}"))
    shoot(page, f"help-in-{country.lower()}-{lang}-hotline")
    english, own = _contact_name(country, hotline, "en"), _contact_name(country, hotline, lang)
    words = screen_words(page)
    assert own in words and english not in words  # the hotline is named in the reader's language
    assert ENGLISH_NOTE not in words
    assert_no_sideways_scroll(page)
