"""A Call button only where the number rings: the passport guide read by a Filipino worker.

In Saudi Arabia, the Philippine hotlines 1348 (DMW-OWWA) and 143 (Philippine Red Cross) are
short codes that ring only on a phone in the Philippines: they are shown with that said, and
no Call button; in the Philippines they are still a Call button."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ONBOARDED, open_app
from tests.e2e.test_shell import by_id, scroll_to

pytestmark = pytest.mark.e2e

N = "\u2066?{}\u2069?"  # a number inside directional isolates, or not
RECORD_WINDOW_OPEN = "window.__opened = []; window.open = function (u) { window.__opened.push(String(u)); return null; };"
HOTLINE, SOCIETY = "ph-hotline-1348-dmw-owwa", "ph-national-society"


def test_a_filipino_worker_in_saudi_arabia_gets_no_call_button_for_1348(launch_app, open_url, shoot):
    app = launch_app(ONBOARDED | {"language": "fil", "role": "abroad", "country": "SA", "origin": "PH"})
    page = open_url(app.url + "articles/passport-taken")
    card = scroll_to(page, by_id(page, f"dial-only-in-{HOTLINE}"))
    expect(card).to_contain_text("Mula lang sa telepono sa Pilipinas")  # "Only from a phone in the Philippines"
    expect(by_id(page, f"contact-{HOTLINE}")).to_contain_text(re.compile(N.format(1348)))
    scroll_to(page, by_id(page, f"copy-{HOTLINE}"))
    page.mouse.wheel(0, 250)  # the Copy button clear of the bottom bar, for the screenshot
    expect(by_id(page, f"copy-{HOTLINE}")).to_be_visible()
    shoot(page, "passport-taken-saudi-arabia-filipino-1348")
    assert by_id(page, f"call-{HOTLINE}").count() == 0
    assert page.get_by_role("button", name=re.compile(rf"Tawagan ang {N.format(1348)}")).count() == 0
    scroll_to(page, by_id(page, f"dial-only-in-{SOCIETY}"))
    expect(by_id(page, f"dial-only-in-{SOCIETY}")).to_contain_text("Pilipinas")
    shoot(page, "passport-taken-saudi-arabia-filipino-143")
    assert by_id(page, f"call-{SOCIETY}").count() == 0
    assert page.get_by_role("button", name=re.compile(rf"Tawagan ang {N.format(143)}")).count() == 0


def test_in_the_philippines_1348_is_still_a_call_button(launch_app, browser, shoot):
    # Planning to go to Saudi Arabia: the phone is still in the Philippines.
    app = launch_app(ONBOARDED | {"language": "fil", "role": "planning", "country": "SA", "origin": "PH"})
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        context.add_init_script(RECORD_WINDOW_OPEN)
        page = context.new_page()
        open_app(page, app.url + "articles/passport-taken")
        scroll_to(page, by_id(page, f"copy-{HOTLINE}"))  # the button above it clear of the bottom bar
        call = scroll_to(page, by_id(page, f"call-{HOTLINE}"))
        expect(call.get_by_role("button")).to_have_accessible_name(re.compile(rf"^Tawagan ang {N.format(1348)}"))
        assert by_id(page, f"dial-only-in-{HOTLINE}").count() == 0
        shoot(page, "passport-taken-philippines-filipino-1348")
        call.click()
        page.wait_for_function("window.__opened.length > 0")
        assert page.evaluate("window.__opened") == ["tel:1348"]
    finally:
        context.close()
