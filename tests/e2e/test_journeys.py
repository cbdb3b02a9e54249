"""User journeys in a real browser at phone size (390×844), one per kind of person.

Tests that change saved choices (language, text size, bookmarks) run an app server of
their own (`launch_app`), since every session of one server shares its user database,
as the screens of one phone do.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import ONBOARDED, assert_no_sideways_scroll, free_port, install_edited_content, open_app
from tests.e2e.test_shell import BACK, by_id, scroll_to, type_into

pytestmark = pytest.mark.e2e

SERVER_UNREACHABLE = "The connection is too weak or keeps dropping. Your information is safe. Try again later."
RECORD_WINDOW_OPEN = "window.__opened = []; window.open = function (u) { window.__opened.push(String(u)); return null; };"


def content_runtime(home):
    from app.runtime import Runtime

    return Runtime.open(home)


def pick_from_dropdown(page: Page, dropdown: Locator, option: str) -> None:
    dropdown.click()
    page.get_by_role("button", name=option, exact=True).last.click()


def test_first_launch_in_nepali_reads_pre_departure_advice(launch_app, open_url, shoot):
    app = launch_app()
    rt = content_runtime(app.home)
    try:
        with rt.reading() as content:
            article = content.get_article("decision-is-yours", "ne")
            malaysia = next(c.name for c in content.list_countries("ne") if c.code == "MY")
            nepal = next(c.name for c in content.list_countries("ne") if c.code == "NP")
    finally:
        rt.close()
    assert article.lang == "ne"

    page = open_url(app.url)
    expect(by_id(page, "welcome-title")).to_be_visible()
    expect(by_id(page, "lang-ne")).to_contain_text("नेपाली")  # named in its own script
    page.wait_for_timeout(3000)  # every script's font loads on first use
    shoot(page, "welcome-language")
    by_id(page, "lang-ne").click()
    expect(by_id(page, "welcome-role")).to_be_visible()
    shoot(page, "welcome-role")
    by_id(page, "role-planning").click()
    expect(by_id(page, "welcome-countries")).to_be_visible()
    pick_from_dropdown(page, by_id(page, "welcome-origin"), nepal)
    pick_from_dropdown(page, by_id(page, "welcome-country"), malaysia)
    shoot(page, "welcome-countries")
    by_id(page, "welcome-start").click()

    expect(by_id(page, "stage-before_you_go")).to_be_visible()
    expect(by_id(page, "home-call-emergency")).to_contain_text("999")
    shoot(page, "home-nepali")
    by_id(page, "topic-decide-and-prepare").click()
    by_id(page, "article-decision-is-yours").click()
    expect(by_id(page, "article-title")).to_have_text(article.title)
    shoot(page, "article-nepali")


def test_worker_in_malaysia_with_passport_taken_reaches_tel_999(browser, app_url, runtime, shoot):
    guide = runtime.get_article("passport-taken", "en", country="MY")
    assert any(c.dial == "999" for c in guide.contacts)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        context.add_init_script(RECORD_WINDOW_OPEN)
        page = context.new_page()
        open_app(page, app_url)
        by_id(page, "open-what-if").click()
        expect(by_id(page, "topic-title")).to_be_visible()
        shoot(page, "what-if")
        by_id(page, "article-passport-taken").click()
        expect(by_id(page, "article-title")).to_have_text(guide.title)
        call = scroll_to(page, by_id(page, "call-my-emergency-999"))
        expect(call.get_by_role("button")).to_have_accessible_name(re.compile("999"))
        expect(by_id(page, "copy-my-emergency-999")).to_be_visible()
        shoot(page, "what-if-contacts")
        call.click()
        page.wait_for_function("window.__opened.length > 0")
        assert page.evaluate("window.__opened") == ["tel:999"]
    finally:
        context.close()


def test_family_member_opens_tracing_information(launch_app, open_url, shoot):
    app = launch_app(ONBOARDED | {"role": "family", "country": "NP", "origin": "NP"})
    page = open_url(app.url)
    expect(by_id(page, "stage-family_at_home")).to_be_visible()  # the family's stage comes first
    # Advice for migrants abroad is titled for them, never "In Nepal" (where the family is).
    expect(scroll_to(page, by_id(page, "stage-in_destination"))).to_have_text("For people who are abroad")
    page = open_url(app.url)
    by_id(page, "topic-finding-a-relative").click()
    by_id(page, "article-ask-red-cross-to-find-relative").click()
    expect(by_id(page, "article-title")).to_contain_text("Red Cross")
    shoot(page, "family-tracing")
    expect(scroll_to(page, by_id(page, "article-last-checked"))).to_contain_text("Last checked on")


def test_search_groups_results_by_kind(page: Page, shoot):
    by_id(page, "open-search").click()
    type_into(page, by_id(page, "search-box").get_by_role("textbox"), "passport")
    page.keyboard.press("Enter")
    expect(by_id(page, "search-group-what_if")).to_be_visible()
    expect(by_id(page, "search-result-passport-taken")).to_be_visible()
    shoot(page, "search-grouped")


def test_bookmark_survives_an_app_restart(launch_app, open_url, shoot):
    app = launch_app(ONBOARDED)
    page = open_url(app.url + "topics/what-if/articles/passport-taken")
    by_id(page, "article-bookmark").click()
    expect(by_id(page, "article-bookmark")).to_contain_text("Saved")

    app.stop()
    app.start()  # same data dir, new server process
    page = open_url(app.url)
    by_id(page, "nav-saved").click()
    expect(by_id(page, "saved-passport-taken")).to_be_visible()
    shoot(page, "saved")
    by_id(page, "saved-passport-taken").click()
    expect(by_id(page, "article-bookmark")).to_contain_text("Saved")


def test_important_numbers_are_kept(launch_app, open_url):
    app = launch_app(ONBOARDED)
    page = open_url(app.url + "saved")
    type_into(page, scroll_to(page, by_id(page, "number-passport")).get_by_role("textbox"), "PA1234567")
    scroll_to(page, by_id(page, "numbers-save")).click()
    expect(page.get_by_text("Saved on this phone.").last).to_be_visible()
    rt = content_runtime(app.home)
    try:
        assert rt.user.setting("important_numbers") == {"passport": "PA1234567"}  # only in the user database
    finally:
        rt.close()


def test_quick_exit_hides_the_content(open_page, shoot):
    page = open_page("topics/what-if/articles/passport-taken")
    expect(by_id(page, "article-title")).to_be_visible()
    by_id(page, "quick-exit").click()
    expect(by_id(page, "neutral-screen")).to_be_visible()
    expect(by_id(page, "article-title")).to_have_count(0)
    expect(page.get_by_text("Safe Journey")).to_have_count(0)
    expect(page.get_by_role("button", name=BACK)).to_have_count(0)
    expect(page).to_have_title("Notes")
    shoot(page, "quick-exit")
    page.go_back()
    page.wait_for_timeout(500)
    expect(by_id(page, "neutral-screen")).to_be_visible()
    expect(by_id(page, "article-title")).to_have_count(0)


def test_text_size_applies_everywhere(launch_app, open_url, shoot):
    app = launch_app(ONBOARDED)
    page = open_url(app.url + "settings")
    title = by_id(page, "settings-title")
    before = title.bounding_box()["height"]
    scroll_to(page, by_id(page, "text-size-3")).click()
    page.wait_for_timeout(800)
    page.mouse.wheel(0, -10000)
    page.wait_for_timeout(300)
    after = title.bounding_box()["height"]
    assert after > before * 1.4, (before, after)
    shoot(page, "settings-largest-text")
    by_id(page, "nav-home").click()
    expect(by_id(page, "home-call-emergency")).to_be_visible()
    shoot(page, "home-largest-text")


def test_works_with_the_sync_server_stopped(launch_app, open_url, shoot):
    nobody = f"http://127.0.0.1:{free_port()}/repository/"  # nothing listens there
    app = launch_app(ONBOARDED, env={"SAFE_JOURNEY_SERVER": nobody})
    page = open_url(app.url)
    expect(by_id(page, "status-line")).to_contain_text("Offline")
    by_id(page, "nav-contacts").click()
    expect(by_id(page, "contact-my-emergency-999")).to_contain_text("999")
    by_id(page, "nav-settings").click()
    scroll_to(page, by_id(page, "settings-check-updates")).click()
    status = scroll_to(page, by_id(page, "settings-sync-status"))
    # After its retries, the one message for a server that cannot be reached.
    expect(status).to_have_text(SERVER_UNREACHABLE, timeout=60_000)
    expect(by_id(page, "settings-version")).to_contain_text("Version")
    shoot(page, "settings-update-failed")
    by_id(page, "nav-home").click()
    by_id(page, "topic-decide-and-prepare").click()
    expect(by_id(page, "topic-title")).to_be_visible()


@pytest.mark.parametrize("path, marker, name", [
    ("contacts", "contact-my-emergency-999", "contacts"),
    ("first-aid", "first-aid-call-emergency", "first-aid"),
    ("first-aid/articles/first-aid-burns", "article-call-emergency", "first-aid-article"),
    ("services", "services-title", "services"),
    ("saved", "saved-title", "saved-empty"),
    ("settings", "settings-title", "settings"),
    ("settings/articles/privacy", "article-title", "privacy"),
    ("safety", "safety-title", "safety"),
])
def test_main_screens_fit_a_small_phone(open_page, shoot, path, marker, name):
    page = open_page(path)
    expect(by_id(page, marker).first).to_be_visible()
    shoot(page, name)
    page.set_viewport_size({"width": 360, "height": 740})
    page.wait_for_timeout(300)
    expect(by_id(page, marker).first).to_be_visible()
    assert_no_sideways_scroll(page)
    box = by_id(page, "nav-home").bounding_box()
    assert box["height"] >= 48 and box["width"] >= 48


def _advice_page_for(country: str) -> tuple[str, str]:
    """A page shown where the person is: (id, English title)."""
    import frontmatter

    from app.storage.paths import CONTENT_SOURCE_DIR

    for path in sorted((CONTENT_SOURCE_DIR / "articles").glob("*.md")):
        article = frontmatter.load(path)
        if [str(code).upper() for code in article.get("countries") or []] in ([], [country]) and article["kind"] == "advice":
            return path.stem, article["title"]
    pytest.fail("no advice page for everyone in the content")


def test_a_nepali_reader_finds_an_english_only_page_by_its_english_words_and_is_told_it_is_english(
        tmp_path, launch_app, open_url, shoot):
    article_id, title = _advice_page_for(ONBOARDED["country"])
    app = launch_app(ONBOARDED | {"language": "ne"})
    # Every page is in Nepali today: an update takes this one's Nepali text away, as when a new
    # page arrives in English first.
    install_edited_content(app, tmp_path, lambda source: (source / "translations" / "ne" / f"{article_id}.md").unlink())
    page = open_url(app.url)
    by_id(page, "open-search").click()
    type_into(page, by_id(page, "search-box").get_by_role("textbox"), title)
    page.keyboard.press("Enter")
    result = by_id(page, f"search-result-{article_id}")
    expect(result).to_contain_text(title)
    expect(result).to_contain_text("अङ्ग्रेजी")  # "English", in Nepali
    # An English word finds the Nepali page, shown in Nepali with no language mark.
    type_into(page, by_id(page, "search-box").get_by_role("textbox"), "passport")
    page.keyboard.press("Enter")
    passport = by_id(page, "search-result-passport-taken")
    expect(passport).to_contain_text("पासपोर्ट")
    expect(passport).not_to_contain_text("अङ्ग्रेजी")
    shoot(page, "search-english-word-nepali-screen")


def test_a_checklist_can_be_ticked_and_is_remembered(launch_app, open_url, shoot):
    from app.content.checklists import item_key

    key = item_key("I have read and understood my contract, and I have a copy.")
    app = launch_app(ONBOARDED)
    page = open_url(app.url + "topics/packing-list/articles/pre-departure-checklist")
    item = scroll_to(page, by_id(page, f"checklist-{key}"))
    checkbox = page.get_by_role("checkbox", name="I have read and understood my contract, and I have a copy.")
    expect(checkbox).not_to_be_checked()
    checkbox.click()
    expect(checkbox).to_be_checked()
    assert item.bounding_box()["height"] > 40  # the long item wraps onto a second line, not cut off
    # The box ticks on the phone at once; a new page reads the tick from the app's data, so the
    # app has saved it before it is stopped (on a busy machine the tap can still be on its way).
    again = open_url(app.url + "topics/packing-list/articles/pre-departure-checklist")
    scroll_to(again, by_id(again, f"checklist-{key}"))
    expect(again.get_by_role("checkbox", name="I have read and understood my contract, and I have a copy.")).to_be_checked()

    app.stop()
    app.start()  # same data dir, new server process
    page = open_url(app.url + "topics/packing-list/articles/pre-departure-checklist")
    scroll_to(page, by_id(page, f"checklist-{key}"))
    expect(page.get_by_role("checkbox", name="I have read and understood my contract, and I have a copy.")).to_be_checked()
    shoot(page, "checklist-remembered")
    rt = content_runtime(app.home)
    try:
        assert rt.user.setting("checklists") == {"pre-departure-checklist": [key]}
    finally:
        rt.close()
