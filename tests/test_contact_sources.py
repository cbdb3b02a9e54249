"""Every contact card says how strong its source is, in plain words, and a card that cannot be
reached by phone or website still offers a way to the Red Cross through the app's own forms."""

from __future__ import annotations

from datetime import date

import flet as ft
import pytest

from app.content import queries
from app.content.dto import ContactCard
from app.content.source_kinds import ContactSourceKind, contact_source_kind
from app.i18n import set_language
from app.i18n_tools import TRANSLATED_LANGUAGES
from app.views.contacts import ask_button, contact_card, source_words

K = ContactSourceKind


@pytest.mark.parametrize(("source", "kind"), [
    ("https://www.redcross.org.au/stpp (Australian Red Cross, its own page)", K.national_society),
    ("http://redcross.org.vn/blogs/news/x (the Society's own website)", K.national_society),
    ("https://reliefweb.int/report/afghanistan/x (QRCS press release, 29 August 2021)", K.national_society),
    ("https://familylinks.icrc.org/en/Pages/HowWeWork/How-we-work.aspx (ICRC Family Links Network)", K.ifrc_icrc),
    ("IFRC Asia Pacific, Labour migration and trafficking guidance note (2018), lines 997-1003", K.ifrc_icrc),
    ("https://www.mbie.govt.nz/immigration (Ministry of Business, Innovation and Employment)", K.government),
    ("https://www.jincheon.go.kr/site/jpn/sub.do?menukey=2622 (Jincheon County)", K.government),
    ("http://mom.gov.sg/faq/x (Ministry of Manpower, Singapore)", K.government),
    ("https://np.usembassy.gov/emergency-assistance/ (U.S. Embassy in Nepal)", K.government),
    ("https://www.news.lk/news/x (Government news portal)", K.government),
    ("https://www2.gulf-times.com/story/659727/x (Gulf Times, 2020); https://www.dohanews.co/x", K.news),
    ("libphonenumber short number metadata (phonenumbers 9.0.43). Service: https://www.police.gov.sg/x",
     K.number_data),
    # Only the first page decides: a Society's page named later does not lift a news item.
    ("https://www.zawya.com/en/life/x (Saudi Gazette); https://www.redcross.org.ph/", K.news),
    # Look-alikes of a Society's or a government's host are not theirs.
    ("https://redcross.org.au.example.com/x", K.other),
    ("https://notredcross.org.au/x", K.other),
    ("https://government.example.com/x", K.other),
    ("https://en.wikipedia.org/wiki/Malaysian_Red_Crescent_Society (name and branches)", K.other),
])
def test_a_contacts_source_kind_comes_from_its_first_page(source, kind):
    assert contact_source_kind(source) == kind


def _every_contact(session) -> list[ContactCard]:
    countries = [c.code for c in queries.list_countries(session, lang="en")]
    return [c for cards in queries.contacts_by_country(session, countries=countries, lang="en").values() for c in cards]


def test_no_reachable_contact_rests_on_an_unnamed_kind_of_page(shipped):
    contacts = _every_contact(shipped)
    assert len(contacts) > 100
    reachable = [c for c in contacts if c.tel or c.website]
    assert [c.id for c in reachable if c.source_kind == K.other] == []
    # Each kind the app ships is one the card has words for.
    assert {c.source_kind for c in contacts} <= {K.national_society, K.ifrc_icrc, K.government, K.news,
                                                 K.number_data, K.other}


def _card(kind: str, *, source: str, dial: str | None = None, website: str | None = None) -> ContactCard:
    return ContactCard(id=f"xx-{kind}", country="MY", kind=kind, services=(), name="Name", note="",
                       dial=dial, tel=f"tel:{dial}" if dial else None, website=website, source=source,
                       verified_on=date(2026, 11, 27))


def test_the_words_name_the_source_and_the_date_in_every_language():
    government = _card("hotline", source="https://www.mom.gov.sg/x", dial="+6565362692")
    society = _card("national_society", source="https://www.redcross.sg/x", website="https://www.redcross.sg")
    try:
        set_language("en")
        assert source_words(government, "en") == "From a government website, checked on November 27, 2026"
        assert source_words(society, "en").startswith("From the Red Cross or Red Crescent itself")
        for lang in TRANSLATED_LANGUAGES:
            set_language(lang)
            words = source_words(government, lang)
            assert "From a government website" not in words, lang  # translated, not English
            assert words != source_words(society, lang), lang
    finally:
        set_language("en")


def _identifiers(control: ft.Control) -> list[str]:
    found = [control.identifier] if isinstance(control, ft.Semantics) and control.identifier else []
    children = list(getattr(control, "controls", None) or [])
    if getattr(control, "content", None) is not None:
        children.append(control.content)
    for child in children:
        found += _identifiers(child)
    return found


def test_a_card_without_a_number_or_website_offers_the_apps_own_forms():
    set_language("en")
    alone = _card("national_society", source="IFRC Asia Pacific guidance note (2018)")
    reachable = _card("national_society", source="https://www.redcross.sg/x", website="https://www.redcross.sg")
    tracing = _card("rfl", source="https://familylinks.icrc.org/x", website="https://familylinks.icrc.org")
    # (A card with a website builds an OpenUrl, which needs a running page: those are checked by
    # the button alone.)
    assert {"ask-xx-national_society", "source-xx-national_society"} <= set(_identifiers(contact_card(alone, "en")))
    assert ask_button(reachable) is None
    assert _identifiers(ask_button(tracing)) == ["ask-xx-rfl"]
    assert ask_button(tracing).content.content == "Ask the Red Cross to find your family"
    assert ask_button(alone).content.content == "Please contact me"
    with_phone = _card("national_society", source="https://www.redcross.org.ph/", dial="143")
    assert ask_button(with_phone) is None
