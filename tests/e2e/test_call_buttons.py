"""The big Call buttons in a real browser: they call the right service and say which.

One app server (Singapore, where 999 is the police and 995 the ambulance) and one for
Sri Lanka, where no page we hold names an ambulance number."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ONBOARDED
from tests.e2e.test_shell import by_id, scroll_to

pytestmark = pytest.mark.e2e

# Numbers are shown inside Unicode directional isolates (so they read left to right in Urdu
# and Arabic too): match "995" with or without them.
N = "\u2066?{}\u2069?"
RECORD_WINDOW_OPEN = "window.__opened = []; window.open = function (u) { window.__opened.push(String(u)); return null; };"


def test_a_burn_in_singapore_calls_the_ambulance_and_says_so(launch_app, browser, shoot):
    app = launch_app(ONBOARDED | {"country": "SG", "origin": "ID"})
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        context.add_init_script(RECORD_WINDOW_OPEN)
        page = context.new_page()
        from tests.e2e.conftest import open_app

        open_app(page, app.url + "first-aid/articles/first-aid-burns")
        call = by_id(page, "article-call-emergency").get_by_role("button")
        expect(call).to_have_accessible_name(re.compile(rf"^Call {N.format(995)} — ambulance\s*$"))
        shoot(page, "first-aid-burns-singapore")
        call.click()
        page.wait_for_function("window.__opened.length > 0")
        assert page.evaluate("window.__opened") == ["tel:995"]

        open_app(page, app.url)
        expect(by_id(page, "home-call-sg-emergency-scdf-995")).to_contain_text(
            re.compile(rf"Call {N.format(995)} — ambulance and fire"))
        expect(by_id(page, "home-call-sg-emergency-police-999")).to_contain_text(re.compile(rf"Call {N.format(999)} — police"))
        shoot(page, "home-singapore")
    finally:
        context.close()


def test_the_label_is_in_the_readers_language(launch_app, open_url, shoot):
    app = launch_app(ONBOARDED | {"country": "SG", "language": "ne"})
    page = open_url(app.url + "first-aid")
    expect(by_id(page, "first-aid-call-emergency")).to_contain_text(re.compile(rf"{N.format(995)} मा फोन गर्नुहोस् — एम्बुलेन्स"))
    shoot(page, "first-aid-singapore-nepali")


def test_no_guess_where_no_source_names_an_ambulance(launch_app, open_url, shoot):
    app = launch_app(ONBOARDED | {"country": "LK"})
    page = open_url(app.url + "first-aid")
    expect(by_id(page, "first-aid-call-emergency-contacts")).to_be_visible()
    expect(by_id(page, "first-aid-call-emergency-unconfirmed")).to_contain_text(
        "We could not yet confirm which number calls an ambulance in Sri Lanka")
    assert by_id(page, "first-aid-call-emergency").count() == 0
    shoot(page, "first-aid-sri-lanka")
    scroll_to(page, by_id(page, "first-aid-call-emergency-contacts")).click()
    expect(by_id(page, "contacts-title")).to_be_visible()
