"""What screens read: topic lists by country, English fallback, contacts in kind order."""

from sqlmodel import Session

from app.content import queries
from app.storage.engines import open_content_engine
from app.storage.paths import content_db


def _session(home):
    return Session(open_content_engine(content_db(home)))


def test_topic_lists_leave_out_articles_about_other_countries(installed_home):
    with _session(installed_home) as session:
        ids = lambda countries: [a.id for a in queries.list_articles(session, topic_id="what-if", lang="en", countries=countries)]  # noqa: E731
        assert ids(None) == ["passport-taken", "malaysia-help"]
        assert ids(["TH", "NP"]) == ["passport-taken"]
        assert ids(["MY", "NP"]) == ["passport-taken", "malaysia-help"]


def test_missing_translation_falls_back_to_english_and_says_so(installed_home):
    with _session(installed_home) as session:
        thai = queries.get_article(session, article_id="passport-taken", lang="th")
        missing = queries.get_article(session, article_id="keep-documents", lang="th")
    assert (thai.lang, thai.is_fallback) == ("th", False)
    assert (missing.lang, missing.is_fallback, missing.title) == ("en", True, "Keep your documents safe")


def test_a_guide_ends_with_the_contacts_of_the_readers_country(installed_home):
    with _session(installed_home) as session:
        guide = queries.get_article(session, article_id="passport-taken", lang="en", country="MY")
        elsewhere = queries.get_article(session, article_id="passport-taken", lang="en", country="TH")
    assert [(c.kind, c.dial) for c in guide.contacts] == [("emergency", "999"), ("national_society", None)]
    assert elsewhere.contacts == []
