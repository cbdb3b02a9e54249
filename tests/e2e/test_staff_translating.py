"""A Nepali reviewer's translating pages in headless Chromium at 360 px, against a real `serve` on
loopback holding the shipped content: log in, see how many Nepali articles are unchecked, open
one side by side, mark it reviewed (a change for a second person), then search the programme
directory. Plain HTML pages, no Flet."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from app.content.source import read_source
from app.storage.paths import CONTENT_SOURCE_DIR
from sync_server.local_process import serving_process
from sync_server.paths import REPO_ROOT
from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import screenshot, SCREENSHOTS, UI_TIMEOUT_MS
from tests.e2e.test_shell import type_into
from tests.intake_helpers import server_data
from tests.staff_helpers import PASSWORD

pytestmark = pytest.mark.e2e
NARROW_PHONE = {"width": 360, "height": 780}
ARTICLE = "passport-taken"


def _server(*args: str, stdin: str | None = None) -> None:
    done = subprocess.run([sys.executable, "-m", "sync_server", *args], input=stdin, capture_output=True, text=True,
                          cwd=REPO_ROOT, timeout=300)
    assert done.returncode == 0, done.stderr


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= NARROW_PHONE["width"], f"the page is {width} px wide at {NARROW_PHONE['width']} px"


def _shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    screenshot(page, SCREENSHOTS / f"{name}.png", full_page=True)


def test_a_nepali_reviewer_marks_a_translation_reviewed_and_finds_a_programme(browser, tmp_path):
    data = server_data(tmp_path / "server")
    _server("content", "import", "--from", str(CONTENT_SOURCE_DIR), "--data", str(data))
    _server("user", "add", "--ns", "NP", "--role", "reviewer", "--lang", "ne", "--email", "ne@example.org",
            "--password-stdin", "--data", str(data), stdin=PASSWORD + "\n")
    items = read_source(CONTENT_SOURCE_DIR)
    nepali = sum(1 for path, item in items.items() if path.startswith("text/ne/") and not item["reviewed"])
    with serving_process(data) as server:
        context = browser.new_context(viewport=NARROW_PHONE, device_scale_factor=1)
        context.set_default_timeout(UI_TIMEOUT_MS)
        page = context.new_page()
        try:
            page.goto(f"{server.base}/staff/login")
            type_into(page, page.get_by_label("Email"), "ne@example.org")
            type_into(page, page.get_by_label("Password"), PASSWORD)
            page.get_by_role("button", name="Log in").click()
            expect(page.get_by_role("heading", name="Welcome")).to_be_visible()

            page.get_by_role("navigation").get_by_role("link", name="Translations").click()
            expect(page.get_by_role("heading", name="Translations")).to_be_visible()
            expect(page.locator("#count-ne-machine")).to_have_text(str(nepali))
            _no_sideways_scroll(page)
            assert_accessible(page)
            _shoot(page, "staff-translations")

            page.locator("#count-ne-machine").click()
            expect(page.get_by_role("heading", name="Nepali translations")).to_be_visible()
            page.locator(f"#row-{ARTICLE}").get_by_role("link").click()
            expect(page.locator("#translation-state")).to_contain_text("a machine translation nobody has checked")
            expect(page.get_by_label("Title")).to_have_value(re.compile("पासपोर्ट"))
            _no_sideways_scroll(page)
            assert_accessible(page)
            _shoot(page, "staff-translation-side-by-side")
            page.get_by_label("I checked this translation against the English: mark it reviewed").check()
            page.get_by_role("button", name="Save").click()
            expect(page.get_by_role("status")).to_contain_text("once a second person approves it")

            page.get_by_role("navigation").get_by_role("link", name="Programmes").click()
            type_into(page, page.get_by_role("searchbox", name="Search"), "shelters")
            page.get_by_role("button", name="Search").click()
            expect(page.locator("#found")).to_contain_text(re.compile(r"^[1-9]\d* of \d+ programmes$"))
            expect(page.locator("article.programme").first).to_contain_text("Who it serves")
            _no_sideways_scroll(page)
            assert_accessible(page)
            _shoot(page, "staff-programmes")
            page.goto(f"{server.base}/staff/contacts/checks")
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            assert_accessible(page)
            page.goto(f"{server.base}/staff/translations/ne")
            expect(page.get_by_role("heading", name="Nepali translations")).to_be_visible()
            assert_accessible(page)
        finally:
            context.close()
