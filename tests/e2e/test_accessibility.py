"""Everyone can use it: read from the accessibility tree a screen reader gets, in Chromium.

Every control has a name, said once; nothing is a disabled text field; the country
pickers find a country as you type, in the reader's language or in English; the
keyboard alone goes through the first launch, and Enter triggers Quick Exit only when
Quick Exit has the focus.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ONBOARDED, assert_no_sideways_scroll
from tests.e2e.test_help_requests import STILL_FOR_TWO_FRAMES
from tests.e2e.test_shell import by_id, type_into

pytestmark = pytest.mark.e2e

# Controls a screen reader announces, with the name it reads (label, else the words inside).
CONTROLS_JS = """() => [...document.querySelectorAll(
        'flt-semantics-host [role=button], flt-semantics-host [role=switch], flt-semantics-host [role=checkbox], '
        + 'flt-semantics-host [role=link], flt-semantics-host input, flt-semantics-host textarea')]
    .map(e => ({
        id: e.closest('[flt-semantics-identifier]')?.getAttribute('flt-semantics-identifier') || '',
        tag: e.tagName.toLowerCase(), role: e.getAttribute('role') || '',
        disabled: e.hasAttribute('disabled'),
        name: (e.getAttribute('aria-label') || e.textContent || '').trim(),
    }))"""
ACTIVE_ID_JS = "() => document.activeElement?.closest('[flt-semantics-identifier]')?.getAttribute('flt-semantics-identifier') || ''"


def said_twice(name: str) -> bool:
    """"Home Home": the same words twice in a row."""
    words = name.split()
    half = len(words) // 2
    return len(words) >= 2 and len(words) % 2 == 0 and words[:half] == words[half:]


def control_problems(page: Page) -> list[str]:
    problems = []
    for control in page.evaluate(CONTROLS_JS):
        where = f"{control['tag']}[{control['role']}] {control['id'] or '?'}"
        if not control["name"]:
            problems.append(f"{where}: no name")
        elif said_twice(control["name"]):
            problems.append(f"{where}: name said twice ({control['name']!r})")
        if control["disabled"] and control["tag"] in ("input", "textarea"):
            problems.append(f"{where}: read as a disabled text field ({control['name'][:40]!r})")
    return problems


@pytest.mark.parametrize("path", ["", "contacts", "settings", "first-aid", "articles/passport-taken", "saved",
                                  "saved/documents"])
def test_every_control_has_one_name(open_page, path):
    page = open_page(path)
    expect(page.locator("flt-semantics[role=button]").first).to_be_attached()
    assert control_problems(page) == []


def test_a_nepali_reader_finds_a_country_by_typing(launch_app, open_url, shoot):
    app = launch_app(ONBOARDED | {"language": "ne"})
    page = open_url(app.url + "settings")
    picker = by_id(page, "settings-country")
    expect(picker.get_by_role("button")).to_have_accessible_name(re.compile("मलेसिया"))
    picker.click()
    box = by_id(page, "settings-country-search").locator("input")
    expect(box).to_be_visible()
    while not box.evaluate(STILL_FOR_TWO_FRAMES):
        pass  # the picker has finished opening: keys typed before are lost
    type_into(page, box, "मले")
    expect(by_id(page, "settings-country-MY")).to_be_visible()
    expect(by_id(page, "settings-country-SG")).to_have_count(0)
    shoot(page, "country-picker-ne-typed")
    assert_no_sideways_scroll(page)
    # The English name finds it too, shown in Nepali.
    type_into(page, box, "sing")
    expect(by_id(page, "settings-country-SG")).to_have_accessible_name("सिङ्गापुर")
    expect(by_id(page, "settings-country-MY")).to_have_count(0)
    singapore = by_id(page, "settings-country-SG")
    while not singapore.evaluate(STILL_FOR_TWO_FRAMES):
        pass  # the list is redrawn as the words change: a tap now can land on the row drawn there before
    singapore.click()
    expect(by_id(page, "settings-country").get_by_role("button")).to_have_accessible_name(re.compile("सिङ्गापुर"))
    page.get_by_role("button", name="गृहपृष्ठ").click()
    expect(by_id(page, "home-call-sg-emergency-scdf-995")).to_be_visible()


def tab_to(page: Page, identifier: str, presses: int = 15) -> None:
    """Press Tab until the control tagged `identifier` has the keyboard focus."""
    for _ in range(presses):
        if page.evaluate(ACTIVE_ID_JS) == identifier:
            return
        before = page.evaluate("() => document.activeElement?.outerHTML")
        page.keyboard.press("Tab")
        page.wait_for_function("b => document.activeElement?.outerHTML !== b", arg=before)
    assert page.evaluate(ACTIVE_ID_JS) == identifier, f"Tab never reached {identifier}"


def test_the_first_launch_works_with_the_keyboard_and_enter_never_exits_by_surprise(launch_app, open_url):
    app = launch_app()
    page = open_url(app.url)
    by_id(page, "lang-en").click()
    by_id(page, "role-abroad").click()
    expect(by_id(page, "welcome-countries")).to_be_visible()
    # Enter right after the click that changed the step: nothing is hidden.
    page.keyboard.press("Enter")
    tab_to(page, "welcome-origin")
    page.keyboard.press("Enter")  # opens the picker, the keyboard goes to its search box
    page.wait_for_function(ACTIVE_ID_JS.replace("() =>", "() => (") + ") === 'welcome-origin-search'")
    type_into(page, by_id(page, "welcome-origin-search").locator("input"), "nep")
    tab_to(page, "welcome-origin-NP")
    page.keyboard.press("Enter")  # picks Nepal; the keyboard is back on the picker, not on Exit
    expect(by_id(page, "welcome-origin").get_by_role("button")).to_have_accessible_name(re.compile("Nepal"))
    page.wait_for_function(ACTIVE_ID_JS.replace("() =>", "() => (") + ") === 'welcome-origin'")
    expect(by_id(page, "welcome-countries")).to_be_visible()
    # Enter on a focused Quick Exit hides the app at once.
    tab_to(page, "quick-exit")
    page.keyboard.press("Enter")
    expect(by_id(page, "welcome-countries")).to_have_count(0)
    expect(page.get_by_text("Safe Journey")).to_have_count(0)
