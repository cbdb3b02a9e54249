"""A caseworker's inbox in headless Chromium at 360 px, against a real `serve` on loopback: log in,
open a tracing request, change its status with a message, record the found person's consent;
the requester's status look-up then shows the new status and message. Plain HTML pages, no Flet."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest
from playwright.sync_api import expect

from sync_server.local_process import serving_process
from sync_server.paths import REPO_ROOT
from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import screenshot, SCREENSHOTS, UI_TIMEOUT_MS
from tests.e2e.test_shell import type_into
from tests.intake_helpers import TRACING, idempotency_key, request_body, server_data
from tests.staff_helpers import PASSWORD

pytestmark = pytest.mark.e2e
NARROW_PHONE = {"width": 360, "height": 780}


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= NARROW_PHONE["width"], f"the page is {width} px wide at {NARROW_PHONE['width']} px"


def test_a_caseworker_opens_a_request_and_moves_it_on(browser, tmp_path):
    data = server_data(tmp_path / "server")
    added = subprocess.run([sys.executable, "-m", "sync_server", "user", "add", "--ns", "NP", "--role", "caseworker",
                            "--email", "case@example.org", "--password-stdin", "--data", str(data)],
                           input=PASSWORD + "\n", capture_output=True, text=True, cwd=REPO_ROOT, timeout=180)
    assert added.returncode == 0, added.stderr
    with serving_process(data) as server:
        key = idempotency_key()  # what the phone keeps to ask for the status
        receipt = httpx.post(f"{server.base}/api/requests", json=request_body("tracing"),
                             headers={"Idempotency-Key": key}, timeout=60).json()["receipt"]
        context = browser.new_context(viewport=NARROW_PHONE, device_scale_factor=1)
        context.set_default_timeout(UI_TIMEOUT_MS)
        page = context.new_page()
        try:
            page.goto(f"{server.base}/staff/inbox")  # not logged in: sent to the login page
            expect(page.get_by_role("heading", name="Log in")).to_be_visible()
            _no_sideways_scroll(page)
            assert_accessible(page)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            screenshot(page, SCREENSHOTS / "staff-login.png", full_page=True)
            type_into(page, page.get_by_label("Email"), "case@example.org")
            type_into(page, page.get_by_label("Password"), PASSWORD)
            page.get_by_role("button", name="Log in").click()
            expect(page.get_by_role("heading", name="Welcome")).to_be_visible()

            page.get_by_role("navigation").get_by_role("link", name="Inbox").click()
            expect(page.get_by_role("heading", name="Help requests for NP")).to_be_visible()
            row = page.locator("tr", has_text=receipt)  # on a phone each row shows as a card
            expect(row).to_contain_text("Find a family member")
            expect(row).to_contain_text("New (delivered)")
            expect(page.get_by_text(TRACING["sought_name"])).to_have_count(0)  # nothing personal in the list
            _no_sideways_scroll(page)
            assert_accessible(page)
            screenshot(page, SCREENSHOTS / "staff-inbox.png", full_page=True)

            row.get_by_role("link", name=receipt).click()
            expect(page.get_by_role("heading", name=f"Find a family member: request {receipt}")).to_be_visible()
            expect(page.get_by_text(TRACING["sought_name"])).to_be_visible()
            expect(page.get_by_role("heading", name="Restoring Family Links: before you share anything")).to_be_visible()
            _no_sideways_scroll(page)
            assert_accessible(page)

            page.get_by_label("Being handled").check()
            type_into(page, page.get_by_label("New short message the requester sees (optional)"),
                      "We have started looking. We will call you.")
            page.get_by_role("button", name="Change the status").click()
            expect(page.get_by_role("status")).to_contain_text("The status was changed")
            expect(page.locator("#status")).to_have_text("Being handled")
            # The message already sent shows above an empty box: closing next would not send it again.
            expect(page.locator("#sent-message")).to_have_text("We have started looking. We will call you.")
            expect(page.get_by_label("New short message the requester sees (optional)")).to_have_value("")
            expect(page.get_by_label("Closed", exact=True)).not_to_be_checked()
            expect(page.get_by_text("Closing is final")).to_be_visible()
            # A referral starts with no Society chosen; the Societies are listed by name.
            referral = page.get_by_label("Society to refer the request to")
            expect(referral).to_have_value("")
            expect(referral.locator("option", has_text="Emirates Red Crescent")).to_have_count(1)

            page.get_by_label("The person has not been found yet.").check()
            page.get_by_role("button", name="Record the answer").click()
            expect(page.get_by_role("status")).to_contain_text("The answer was recorded")
            expect(page.get_by_text("Last recorded answer: Consent of the found person: the person has not been found yet."
                                    )).to_be_visible()
            assert_accessible(page)
            screenshot(page, SCREENSHOTS / "staff-request.png", full_page=True)
        finally:
            context.close()
        status = httpx.get(f"{server.base}/api/requests/{receipt}", headers={"Authorization": f"Bearer {key}"},
                           timeout=60).json()
    assert (status["status"], status["message"]) == ("in_progress", "We have started looking. We will call you.")
