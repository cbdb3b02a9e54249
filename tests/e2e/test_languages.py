"""Languages in a real browser: pick Burmese, Khmer, Nepali or Arabic on the first screen and
the app switches at once — text, fonts (bundled, no network), and for Arabic a mirrored layout.

The app under test has its own data dir (the language choice is saved per device, so it
must not leak into other tests). Screenshots: artifacts/screenshots/lang-<code>-*.png.
"""

from __future__ import annotations

import re

import pytest
from conftest import PHONE, UI_TIMEOUT_MS, open_app, serve_app, stop_app, tap_until_shown
from playwright.sync_api import Locator, Page, expect

from app.i18n import catalog
from app.locale_data import long_date
from tests.e2e.test_shell import by_id

pytestmark = pytest.mark.e2e

KNOWN_ARTICLE = "passport-taken"
NATIVE_DIGITS = {"my": "[၀-၉]", "ne": "[०-९]", "ar": "[٠-٩]", "km": "[0-9]"}  # CLDR's default numbering
# Flutter asks Google's font servers for glyphs its bundled fonts lack; offline that is an empty box.
FONT_CDNS = re.compile(r"fonts\.(gstatic|googleapis)\.com|notofonts|/fonts/.*\.(ttf|otf|woff2?)$")


def tr(lang: str, message: str) -> str:
    return catalog(lang).gettext(message)


@pytest.fixture(scope="module")
def lang_app(tmp_path_factory):
    """A separate app server with its own data dir; yields (url, runtime on that data dir)."""
    from app.runtime import Runtime

    home = tmp_path_factory.mktemp("languages-home")
    # The data folder is made before the app starts: two processes creating it at once could
    # leave the app on in-memory user data, deaf to the settings this fixture resets.
    runtime = Runtime.open(home)
    url, process = serve_app(home, tmp_path_factory.mktemp("languages-logs") / "app.log")
    yield url, runtime
    runtime.close()
    stop_app(process)


@pytest.fixture
def fresh_page(browser, lang_app):
    """A phone-sized page showing the first-launch screen (as if the app was just installed)."""
    url, runtime = lang_app
    runtime.user.set_setting("onboarded", False)
    runtime.user.set_setting("language", "en")
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    context.set_default_timeout(UI_TIMEOUT_MS)
    page = context.new_page()
    font_requests: list[str] = []
    page.on("request", lambda request: font_requests.append(request.url) if FONT_CDNS.search(request.url)
            and not request.url.startswith(url) else None)
    open_app(page, url)
    yield page, url, font_requests
    context.close()


def centre_x(locator: Locator) -> float:
    box = locator.bounding_box()
    assert box, "not on screen"
    return box["x"] + box["width"] / 2


def pick_language_and_start(page: Page, lang: str) -> None:
    """First launch: language (the switch is immediate), then "I am…", then Start."""
    expect(by_id(page, "welcome-language")).to_be_visible()
    by_id(page, f"lang-{lang}").click()
    # The next step is already in the new language, with no restart.
    expect(by_id(page, "welcome-role")).to_contain_text(tr(lang, "I am…"))
    tap_until_shown(by_id(page, "role-abroad"), by_id(page, "welcome-start"))
    by_id(page, "welcome-start").click()


def app_bar_buttons(page: Page) -> list[Locator]:
    """Buttons drawn in the app bar (the top 64 px), left to right."""
    buttons = page.get_by_role("button")
    found = []
    for i in range(buttons.count()):
        box = buttons.nth(i).bounding_box()
        if box and box["y"] < 64 and box["height"] < 80:
            found.append((box["x"], buttons.nth(i)))
    return [button for _, button in sorted(found, key=lambda pair: pair[0])]


@pytest.mark.parametrize("lang", ["my", "km", "ne", "ar"])
def test_switch_language_on_first_launch_and_read_an_article(fresh_page, lang_app, shoot, lang):
    page, url, font_requests = fresh_page
    pick_language_and_start(page, lang)

    # Home, in the chosen language; the status line's date in the language's digits
    # (२०२६ in Nepali, ၂၀၂၆ in Burmese, ٢٠٢٦ in Arabic; Khmer writes 2026).
    expect(page.get_by_role("heading", name=tr(lang, "Safe Journey")).first).to_be_visible()
    published = long_date(lang_app[1].installed().created_at, lang)
    assert re.search(NATIVE_DIGITS[lang], published), published
    expect(by_id(page, "status-line")).to_contain_text(published)
    page.wait_for_timeout(800)  # fonts settle
    shoot(page, f"lang-{lang}-home")

    # One article, opened by its address: a new session starts in the saved language.
    page.goto(f"{url}articles/{KNOWN_ARTICLE}")
    page.wait_for_selector("#loading", state="detached", timeout=UI_TIMEOUT_MS * 2)
    page.locator("flt-semantics-placeholder").evaluate("e => e.click()")
    page.wait_for_selector("flt-semantics", state="attached")
    title = by_id(page, "article-title")
    expect(title).to_be_visible()
    assert re.search(r"[^\x00-\x7F]", title.inner_text() or title.get_attribute("aria-label") or ""), \
        "the article title is not in the chosen script"
    page.wait_for_timeout(800)
    shoot(page, f"lang-{lang}-article")

    # Back arrow: at the start side of the app bar — left, or right in Arabic.
    buttons = app_bar_buttons(page)
    assert buttons, "no app bar buttons"
    back_x = centre_x(buttons[0] if lang != "ar" else buttons[-1])
    if lang == "ar":
        assert back_x > PHONE["width"] * 0.75, f"Arabic app bar is not mirrored (back arrow at x={back_x})"
    else:
        assert back_x < PHONE["width"] * 0.25, f"back arrow at x={back_x}"

    assert font_requests == [], f"the app fetched fonts from the internet: {font_requests}"


def test_arabic_mirrors_the_layout_as_soon_as_it_is_picked(fresh_page, shoot):
    page, _url, _requests = fresh_page
    expect(by_id(page, "welcome-language")).to_be_visible()
    by_id(page, "lang-en").click()  # English first: Back on the left, Next on the right
    expect(by_id(page, "welcome-back")).to_be_visible()
    ltr_back, ltr_next = centre_x(by_id(page, "welcome-back")), centre_x(by_id(page, "welcome-next"))
    assert ltr_back < ltr_next

    by_id(page, "welcome-back").click()
    by_id(page, "lang-ar").click()
    expect(by_id(page, "welcome-role")).to_contain_text(tr("ar", "I am…"))
    page.wait_for_timeout(500)
    rtl_back, rtl_next = centre_x(by_id(page, "welcome-back")), centre_x(by_id(page, "welcome-next"))
    assert rtl_back > rtl_next, "Back and Next did not swap sides in Arabic"
    assert abs(rtl_back - (PHONE["width"] - ltr_back)) < 40  # a mirror image
    shoot(page, "lang-ar-welcome-mirrored")
