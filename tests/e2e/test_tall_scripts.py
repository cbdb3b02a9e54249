"""Burmese, Urdu and Filipino on a 360 px phone: nothing cut, nothing split mid-word.

Measured on the boxes of Flutter's accessibility tree (the canvas itself cannot tell):
the Exit button and every tab sit wholly on screen, the tab labels have room for two
lines, the tiles of the emergency block stack when a word would not fit a third of the
screen ("Mga emer gency"), and icons grow with the text.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ONBOARDED, assert_no_sideways_scroll
from tests.e2e.test_shell import by_id

pytestmark = pytest.mark.e2e

NARROW = {"width": 360, "height": 780}
LARGEST = 3  # index of the largest text size (app/state.py TEXT_SCALES)
NAV = ("nav-home", "nav-contacts", "nav-saved", "nav-settings")


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
        for tab in NAV:
            tab_box = box(page, tab)
            assert on_screen(page, tab_box), (tab, tab_box)
            # An icon of 24 px grown 1.65 times, and two lines of 13 px labels at that size.
            assert tab_box["height"] >= 40 + 2 * 13 * 1.65, (tab, tab_box)
        shoot(page, f"home-{lang}-largest-360")
        assert_no_sideways_scroll(page)
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
