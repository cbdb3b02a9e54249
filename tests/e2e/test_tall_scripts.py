"""Burmese, Urdu and Filipino on a 360 px phone: nothing cut, nothing split mid-word.

Measured on the boxes of Flutter's accessibility tree (the canvas itself cannot tell):
the Exit button and every tab sit wholly on screen, the tab labels have room for two
lines, the tiles of the emergency block stack when a word would not fit a third of the
screen ("Mga emer gency"), and icons grow with the text.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from app.fonts import line_height_for
from app.state import TEXT_SCALES
from tests.e2e.conftest import ONBOARDED, assert_no_sideways_scroll
from tests.e2e.test_shell import by_id, scroll_to

pytestmark = pytest.mark.e2e

NARROW = {"width": 360, "height": 780}
LARGEST = 3  # index of the largest text size (app/state.py TEXT_SCALES)
NAV = ("nav-home", "nav-contacts", "nav-saved", "nav-settings")
LABEL = 16  # app/theme.py's label_large, the size of button words


def label_line(lang: str) -> float:
    """One line of button words at the largest text size, in `lang`'s script."""
    return LABEL * TEXT_SCALES[LARGEST] * line_height_for(lang)


def box(page: Page, identifier: str) -> dict:
    found = by_id(page, identifier).first
    expect(found).to_be_visible()
    return found.bounding_box()


def on_screen(page: Page, b: dict) -> bool:
    size = page.viewport_size
    return b["x"] >= 0 and b["y"] >= 0 and b["x"] + b["width"] <= size["width"] and b["y"] + b["height"] <= size["height"]


def open_narrow(browser, url: str):
    from tests.e2e.conftest import open_app

    context = browser.new_context(viewport=NARROW, device_scale_factor=1)
    page = context.new_page()
    open_app(page, url)
    return context, page


@pytest.mark.parametrize("lang", ["my", "ur"])
def test_the_largest_text_keeps_exit_and_tabs_whole(launch_app, browser, shoot, lang):
    app = launch_app(ONBOARDED | {"language": lang, "text_step": LARGEST})
    context, page = open_narrow(browser, app.url)
    try:
        expect(by_id(page, "stage-emergency")).to_be_visible()
        page.wait_for_timeout(3000)  # the script's font arrives on first use
        exit_box = box(page, "quick-exit")
        assert on_screen(page, exit_box), exit_box
        # The pill holds a line of its word with 8 px to spare above and below: Nastaliq and
        # Burmese letters reach past the line Flutter measures, and no further than that.
        assert exit_box["height"] >= label_line(lang) + 2 * 8 - 1, (exit_box, label_line(lang))
        for tab in NAV:
            tab_box = box(page, tab)
            assert on_screen(page, tab_box), (tab, tab_box)
            # An icon of 24 px grown 1.65 times, and two lines of 13 px labels at that size.
            assert tab_box["height"] >= 40 + 2 * 13 * 1.65, (tab, tab_box)
        shoot(page, f"home-{lang}-largest-360")
        assert_no_sideways_scroll(page)

        # Buttons' words on Contacts ("Ask the Red Cross to find your family"): the buttons grow
        # with them (they were cut at a fixed 48 px).
        by_id(page, "nav-contacts").click()
        least = max(48, LABEL * TEXT_SCALES[LARGEST] + 2 * 14)  # a line as tall as the font, and padding
        for ask_id in ("ask-my-rfl", "ask-my-national-society"):
            ask = scroll_to(page, by_id(page, ask_id))
            page.mouse.wheel(0, 200)  # clear of the tabs, for the picture
            # Flutter moves the accessibility boxes a moment after the scroll: wait for them to settle.
            try:
                ask.evaluate("(e, least) => new Promise(done => { const t = Date.now(); (function check() {"
                             " if (e.getBoundingClientRect().height >= least || Date.now() - t > 5000) done();"
                             " else requestAnimationFrame(check); })(); })", least)
            finally:
                shoot(page, f"contacts-{lang}-largest-360-{ask_id}")
            ask_box = ask.bounding_box()
            assert ask_box["height"] >= least, (ask_id, ask_box)
            assert ask_box["x"] >= 0 and ask_box["x"] + ask_box["width"] <= NARROW["width"], (ask_id, ask_box)
    finally:
        context.close()


def test_emergency_tiles_stack_rather_than_split_a_word(launch_app, browser, shoot):
    app = launch_app(ONBOARDED | {"language": "fil"})
    context, page = open_narrow(browser, app.url)
    try:
        tile = box(page, "topic-first-aid")
        block = box(page, "stage-emergency")
        assert tile["width"] > 0.8 * (NARROW["width"] - 2 * 16 - 2 * 16), (tile, block)
        shoot(page, "home-fil-360")
    finally:
        context.close()
