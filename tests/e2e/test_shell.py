"""The app shell in a real browser: home, topic, article, back, search (phone size)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from app.views.article import source_words
from tests.e2e.conftest import ONBOARDED, assert_no_sideways_scroll

pytestmark = pytest.mark.e2e


def by_id(page: Page, identifier: str) -> Locator:
    return page.locator(f'[flt-semantics-identifier="{identifier}"]')


def scroll_to(page: Page, target: Locator, *, steps: int = 40) -> Locator:
    """Scroll the screen down until target is built and on screen (Flutter builds lazily)."""
    page.mouse.move(195, 500)
    for _ in range(steps):
        if target.count() and target.first.is_visible():
            box = target.first.bounding_box()
            if box and 0 <= box["y"] and box["y"] + min(box["height"], 40) <= page.viewport_size["height"]:
                return target.first
        page.mouse.wheel(0, 400)
        page.wait_for_timeout(100)
    expect(target.first).to_be_visible()
    return target.first


# The app bar's back arrow; once hovered, Flutter adds its tooltip to the name ("Back Back").
BACK = re.compile(r"^Back( Back)?$")


# The field Flutter's web engine focuses when a text box is tapped: keys typed before it
# exists are lost, which is why type_into waits for it.
_FOCUSED_FIELD = "() => ['INPUT', 'TEXTAREA'].includes(document.activeElement?.tagName)"


def type_into(page: Page, textbox: Locator, text: str, *, attempts: int = 3) -> None:
    """Tap textbox, wait until the engine has focused its editing field, type text and check it landed."""
    for _ in range(attempts):
        textbox.click()
        page.wait_for_function(_FOCUSED_FIELD)
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.press("Backspace")
        page.keyboard.type(text)
        try:
            page.wait_for_function("t => document.activeElement?.value === t", arg=text, timeout=5_000)
            return
        except Exception:  # a key lost while the engine rebuilt the field: type it again
            continue
    assert page.evaluate("() => document.activeElement?.value") == text, f"could not type {text!r}"


def go_back(page: Page) -> None:
    page.get_by_role("button", name=BACK).click()


def first_topic_with_articles(runtime):
    for topic in runtime.list_topics("en"):
        articles = runtime.list_articles(topic.id, "en")
        if articles:
            return topic, articles
    pytest.fail("the installed content has no topic with articles")


def test_home_shows_installed_topics_under_stage_headings(page: Page, runtime, shoot):
    topics = runtime.list_topics("en")
    assert topics, "nothing installed"

    expect(by_id(page, f"stage-{topics[0].stage}")).to_be_visible()
    for topic in topics[:3]:
        expect(by_id(page, f"topic-{topic.id}")).to_contain_text(topic.title)
    expect(page.get_by_role("heading", name="Safe Journey")).to_be_visible()
    shoot(page, "home")

    last = topics[-1]
    expect(scroll_to(page, by_id(page, f"topic-{last.id}"))).to_contain_text(last.title)
    assert_no_sideways_scroll(page)


def test_open_topic_then_article_then_back(page: Page, runtime, shoot):
    topic, articles = first_topic_with_articles(runtime)
    detail = runtime.get_article(articles[0].id, "en")

    by_id(page, f"topic-{topic.id}").click()
    expect(by_id(page, "topic-title")).to_have_text(topic.title)
    expect(by_id(page, f"article-{articles[0].id}")).to_contain_text(articles[0].title)
    shoot(page, "topic")

    by_id(page, f"article-{articles[0].id}").click()
    expect(by_id(page, "article-title")).to_have_text(detail.title)
    shoot(page, "article")
    footer = scroll_to(page, by_id(page, "article-last-checked"))
    expect(footer).to_contain_text("Last checked on")
    # The source in plain words, never the staff's line numbers (app/views/article.py source_words).
    expect(footer).to_contain_text(source_words(detail.source, "en"))
    expect(footer).not_to_contain_text("lines ")
    shoot(page, "article-footer")

    go_back(page)
    expect(by_id(page, "topic-title")).to_have_text(topic.title)
    go_back(page)
    expect(by_id(page, f"topic-{topic.id}")).to_be_visible()
    expect(page.get_by_role("button", name=BACK)).to_have_count(0)


def test_deep_link_to_article_keeps_its_topic_below(open_page, runtime):
    topic, articles = first_topic_with_articles(runtime)
    detail = runtime.get_article(articles[-1].id, "en")

    page = open_page(f"topics/{topic.id}/articles/{detail.id}")
    expect(by_id(page, "article-title")).to_have_text(detail.title)
    go_back(page)
    expect(by_id(page, "topic-title")).to_have_text(topic.title)


def test_search_finds_an_article_and_opens_it(page: Page, runtime, shoot):
    word = "passport"
    hits = runtime.search(word, "en")
    assert hits, f"no installed article mentions {word!r}"

    by_id(page, "open-search").click()
    box = by_id(page, "search-box")
    expect(box).to_be_visible()
    type_into(page, box.get_by_role("textbox"), word)
    page.keyboard.press("Enter")

    result = by_id(page, f"search-result-{hits[0].article_id}")
    expect(result).to_contain_text(hits[0].title)
    expect(result).to_contain_text(re.compile(word, re.I))
    shoot(page, "search")

    result.click()
    expect(by_id(page, "article-title")).to_have_text(hits[0].title)
    go_back(page)
    expect(result).to_be_visible()


def test_search_opened_by_its_address_searches_what_was_typed(launch_app, open_url):
    # A reload or a shared link: the search field once took the typing but Enter searched for nothing.
    app = launch_app(ONBOARDED)
    page = open_url(app.url + "search")
    type_into(page, by_id(page, "search-box").get_by_role("textbox"), "passport")
    page.keyboard.press("Enter")
    expect(by_id(page, "search-result-passport-taken")).to_be_visible()


def test_search_with_no_match_says_so(page: Page):
    by_id(page, "open-search").click()
    type_into(page, by_id(page, "search-box").get_by_role("textbox"), "zzqxjvv")
    page.keyboard.press("Enter")
    expect(by_id(page, "search-empty")).to_contain_text("Nothing found")



def test_unknown_address_offers_the_way_home(open_page, runtime):
    page = open_page("no/such/page")
    expect(by_id(page, "not-found")).to_be_visible()
    by_id(page, "go-home").click()
    expect(by_id(page, f"topic-{runtime.list_topics('en')[0].id}")).to_be_visible()
