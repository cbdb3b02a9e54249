"""Offline search: ranked, filtered by language and country, substrings in unspaced scripts."""

import pytest

from app.content.search import search_articles


def _ids(connection, query, lang, country=None):
    return [hit.article_id for hit in search_articles(connection, query=query, lang=lang, country=country)]


def test_english_words_find_and_rank_title_matches_first(content_connection):
    assert _ids(content_connection, "passport", "en") == ["passport-taken"]
    # "documents" is in one title and one body: the title match ranks first.
    assert _ids(content_connection, "documents", "en") == ["keep-documents", "malaysia-help"]


def test_every_term_must_match_and_the_last_may_be_a_prefix(content_connection):
    assert _ids(content_connection, "plastic bag", "en") == ["keep-documents"]
    assert _ids(content_connection, "plastic famil", "en") == ["keep-documents"]
    assert _ids(content_connection, "plastic passport", "en") == []


def test_snippets_mark_the_match(content_connection):
    (hit,) = search_articles(content_connection, query="plastic", lang="en")
    assert "<mark>plastic</mark>" in hit.snippet
    assert hit.title == "Keep your documents safe" and hit.kind == "advice"


def test_an_english_word_typed_on_a_thai_screen_finds_the_thai_page(content_connection):
    (hit,) = search_articles(content_connection, query="passport", lang="th")
    assert (hit.article_id, hit.lang, hit.title) == ("passport-taken", "th", "ถ้าหนังสือเดินทางถูกยึด")
    assert "<mark>" not in hit.snippet  # the snippet is the Thai page's, not the English match


def test_a_page_only_in_english_is_found_from_another_language_and_says_so(content_connection):
    (hit,) = search_articles(content_connection, query="plastic", lang="ne")
    assert (hit.article_id, hit.lang) == ("keep-documents", "en")


def test_an_english_screen_searches_english_only(content_connection):
    assert _ids(content_connection, "หนังสือเดินทาง", "en") == []


@pytest.mark.parametrize(
    ("query", "lang"),
    [
        ("เดินทาง", "th"),  # "travel", the second half of the Thai word for passport
        ("หนังสือเดินทาง", "th"),  # the whole word, in the middle of a sentence
        ("ยึด", "th"),  # a three-character word inside a run with no spaces
        ("နိုင်ငံကူး", "my"),  # Burmese "abroad", inside "passport", with combining marks
        ("လက်မှတ်", "my"),  # Burmese "certificate": a substring ending in a mark
        ("ឆ្លងដែន", "km"),  # Khmer "cross the border", inside "passport"
    ],
)
def test_substrings_in_scripts_without_spaces_are_found(content_connection, query, lang):
    assert _ids(content_connection, query, lang) == ["passport-taken"]


def test_a_short_term_in_an_unspaced_script_still_matches(content_connection):
    assert _ids(content_connection, "ยึ", "th") == ["passport-taken"]


def test_country_filter_keeps_general_articles_and_that_country(content_connection):
    assert "malaysia-help" in _ids(content_connection, "documents", "en", "MY")
    assert _ids(content_connection, "documents", "en", "TH") == ["keep-documents"]


@pytest.mark.parametrize("query", ['"', "passport\"", "AND", "OR passport", "*", "pass*port", "   ", "(", "%_\\"])
def test_query_syntax_characters_never_crash(content_connection, query):
    search_articles(content_connection, query=query, lang="en")
    search_articles(content_connection, query=query, lang="th")



@pytest.mark.parametrize(
    ("phrase", "first"),
    [
        ("ไม่ได้รับเงินเดือน", "not-paid"),  # "not received salary": the page says ไม่ได้รับค่าจ้าง … เงินเดือน
        ("แผลไฟไหม้", "first-aid-burns"),  # "burn wound": the page says แผลไหม้
    ],
)
def test_a_thai_phrase_not_written_so_in_any_page_finds_the_page_about_it(shipped, phrase, first):
    hits = search_articles(shipped.connection(), query=phrase, lang="th")
    assert hits and hits[0].article_id == first


def test_a_thai_phrase_of_unrelated_pieces_finds_nothing(shipped):
    assert search_articles(shipped.connection(), query="กกกขขขคคค", lang="th") == []


def test_thai_snippets_show_the_words_around_the_match(shipped):
    (hit, *_) = search_articles(shipped.connection(), query="ยึด", lang="th")  # "seized", three letters
    before, _, after = hit.snippet.partition("<mark>ยึด</mark>")
    assert len(before.strip("…")) + len(after.strip("…")) >= 30


@pytest.mark.parametrize(
    ("word", "lang", "article"),
    [
        ("राहदानी", "ne", "passport-taken"),  # the page says पासपोर्ट
        ("তলব", "ne", None),  # not a Nepali word: no group, nothing found
        ("sweldo", "fil", "not-paid"),  # the page says sahod
        ("passport", "ne", "passport-taken"),  # an English word finds the Nepali page, in Nepali
    ],
)
def test_a_word_finds_the_page_that_uses_another_word_for_the_same_thing(shipped, word, lang, article):
    hits = search_articles(shipped.connection(), query=word, lang=lang)
    if article is None:
        assert hits == []
    else:
        assert hits[0].article_id == article and hits[0].lang == lang


def test_synonyms_expand_only_in_the_readers_language(shipped):
    # "sweldo" is Filipino; on an Indonesian screen it is just an unknown word.
    assert search_articles(shipped.connection(), query="sweldo", lang="id") == []


@pytest.mark.parametrize(
    ("groups", "problem"),
    [
        ([["passport"]], "two words"),
        ([["hộ chiếu", "passport"]], "no spaces"),
        ([["paspor", "passport"], ["Passport", "pas"]], "two groups"),
    ],
)
def test_a_synonym_list_search_could_not_use_is_refused(groups, problem):
    from app.content.errors import ContentError
    from app.content.rows import build_rows
    from tests.factories import valid_items

    items = valid_items()
    items["language/en.json"] = {"code": "en", "search_synonyms": groups}
    with pytest.raises(ContentError, match=problem):
        build_rows(items)
