"""No guide is a dead end, and no contact speaks English inside another language's screen.

Every guide that sends people to a kind of contact ends, for every country of the content,
with that contact or with what to do instead; checked over the bundle the app ships.
"""

from __future__ import annotations

import pytest

from app.content import queries
from app.content.guide_contacts import NEXT_STEP_KINDS, guide_contact_groups
from app.i18n import set_language
from app.i18n_tools import TRANSLATED_LANGUAGES
from app.views.article import next_step_words
from app.views.contacts import note_words


def _groups(session, article_id: str, where: str | None, origin: str | None, lang: str = "en"):
    article = queries.get_article(session, article_id=article_id, lang=lang, country=where)
    return guide_contact_groups(
        article, where=where, origin=origin,
        contacts_of=lambda code: queries.contacts_for(session, country=code, lang=lang),
        no_society=lambda code: queries.no_national_society(session, country=code, lang=lang),
    )


def _guides(session) -> list[str]:
    return [a.id for a in queries.articles_of_kind(session, kind="what_if", lang="en")]


def test_every_guide_ends_with_a_contact_or_a_next_step_in_every_country(shipped):
    countries = [c.code for c in queries.list_countries(shipped, lang="en")]
    guides = _guides(shipped)
    assert len(guides) >= 10 and len(countries) >= 28
    dead_ends = []
    for guide in guides:
        for where in countries:
            groups = _groups(shipped, guide, where, "NP")
            here = [g for g in groups if g.country == where]
            asked = queries.get_article(shipped, article_id=guide, lang="en", country=where).contact_kinds
            covered = {c.kind for g in here for c in g.contacts} | {k for g in here for k in g.missing}
            if not here or {k for k in asked if k in NEXT_STEP_KINDS} - covered:
                dead_ends.append((guide, where))
    assert dead_ends == []


def test_the_passport_guide_in_malaysia_names_the_readers_embassy_and_adds_home(shipped):
    groups = _groups(shipped, "passport-taken", "MY", "NP")
    assert [g.country for g in groups] == ["MY", "NP"]
    malaysia, nepal = groups
    assert [c.kind for c in malaysia.contacts] == ["emergency", "national_society", "hotline", "hotline", "embassy"]
    # Only the reader's own embassy: Nepal's, not Bangladesh's or the Philippines' in the same city.
    assert [c.id for c in malaysia.contacts if c.kind == "embassy"] == ["my-embassy-np"]
    assert malaysia.missing == ()
    # From home the Red Cross and Nepal's own line for its workers abroad: no Nepali emergency
    # number or embassy in Malaysia.
    assert [c.id for c in nepal.contacts] == [
        "np-national-society", "np-hotline-labour-ministry-call-centre-foreign-employment-board",
    ] and nepal.missing == ()


def test_oman_without_a_national_society_says_so_in_the_readers_words(shipped):
    (oman,) = _groups(shipped, "disaster", "OM", None, lang="ne")
    assert "national_society" in oman.missing
    assert oman.no_national_society.startswith("ओमानमा")


def test_a_country_guide_shows_its_own_country_wherever_the_reader_is(shipped):
    assert [g.country for g in _groups(shipped, "help-in-sg", "MY", "NP")] == ["SG"]


def test_first_aid_shows_no_contacts_from_home(shipped):
    assert [g.country for g in _groups(shipped, "first-aid-burns", "SG", "ID")] == ["SG"]


@pytest.mark.parametrize("lang", TRANSLATED_LANGUAGES)
def test_no_english_note_inside_another_language(shipped, lang):
    """Every contact of every country reads in `lang` or says what to do in `lang`."""
    set_language(lang)
    try:
        leaks = []
        for country in queries.list_countries(shipped, lang=lang):
            for contact in queries.contacts_for(shipped, country=country.code, lang=lang):
                words = note_words(contact, lang)
                english = queries.contacts_for(shipped, country=country.code, lang="en")
                english_notes = {c.note for c in english if c.note}
                if words in english_notes and contact.note_lang != lang:
                    leaks.append(contact.id)
        next_steps = [next_step_words(kind, "X") for kind in NEXT_STEP_KINDS]
        set_language("en")
        untranslated = [w for w in next_steps if w in [next_step_words(k, "X") for k in NEXT_STEP_KINDS]]
    finally:
        set_language("en")
    assert leaks == []
    assert untranslated == []
