"""A page named in bold in a guide ("see **Electric shock**") becomes a link to it."""

from __future__ import annotations

import re

from app.content import queries
from app.content.cross_references import link_cross_references

TITLES = {"first-aid-electric-shock": "First aid: electric shock", "passport-taken": "If your passport is taken"}
LINK = re.compile(r"\[\*\*([^*]+)\*\*\]\(/articles/([^)]+)\)")


def test_a_bold_title_becomes_a_link_and_other_bold_words_stay():
    text = "Switch it off. See **Electric shock**. If your passport is gone, see **If your  passport is taken**. **Stay calm**."
    linked, named = link_cross_references(text, TITLES, own_id="first-aid-burns")
    assert named == ["first-aid-electric-shock", "passport-taken"]
    assert LINK.findall(linked) == [("Electric shock", "first-aid-electric-shock"),
                                    ("If your  passport is taken", "passport-taken")]
    assert "**Stay calm**." in linked and "[**Stay calm**]" not in linked


def test_a_page_never_links_to_itself():
    text = "See **If your passport is taken**."
    assert link_cross_references(text, TITLES, own_id="passport-taken") == (text, [])


def test_shipped_guides_link_their_cross_references_in_english_and_in_translation(shipped):
    english = queries.get_article(shipped, article_id="first-aid-burns", lang="en")
    assert ("Chemicals and poisoning", "first-aid-chemicals-and-poisoning") in LINK.findall(english.body_markdown)
    # Screen readers cannot reach a link inside the text: the named pages are listed as related too.
    not_paid = queries.get_article(shipped, article_id="not-paid", lang="en")
    assert "coping-with-stress" in [r.id for r in not_paid.related]  # named in the text, not in its front matter
    arabic = queries.get_article(shipped, article_id="first-aid-burns", lang="ar")
    assert ("first-aid-electric-shock" in dict((t, i) for t, i in LINK.findall(arabic.body_markdown)).values())
