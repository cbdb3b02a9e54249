"""Issue 14's "done when", in headless Chromium against the real commands: an editor of the Nepal
Red Cross changes an article's English title and a contact's number on the staff pages; nothing is
published until a second staff member approves; then `python -m sync_server publish` signs a new
version, `python -m app sync` installs it on a phone and the app shows the new title and number;
restoring the old versions brings the old ones back as a newer version. axe-core checks every
editor page on the way (0 serious or critical violations)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from app.content.source import read_source
from app.storage.paths import CONTENT_SOURCE_DIR
from sync_server.db import engine_for
from sync_server.local_process import serving_process
from sync_server.paths import REPO_ROOT
from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import screenshot, ONBOARDED, SCREENSHOTS, UI_TIMEOUT_MS, open_app
from tests.e2e.test_shell import by_id, type_into
from tests.intake_helpers import server_data
from tests.staff_helpers import PASSWORD, add_account
from tests.test_editor_publishing import ARTICLE_TEXT, CONTACT as CONTACT_PATH, _on_phone  # the same two items

pytestmark = pytest.mark.e2e
NARROW_PHONE = {"width": 360, "height": 780}
ARTICLE = "service-np-returnee-referrals"
CONTACT = "np-emergency-police-100"
NEW_TITLE = "Coming home to Nepal: help from the Red Cross"
# Numbers on the phone sit inside Unicode directional isolates.
N = "\u2066?{}\u2069?"


def _run(*args: str, env: dict | None = None) -> str:
    result = subprocess.run([sys.executable, *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(REPO_ROOT), **(env or {})})
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _publish(data) -> int:
    printed = _run("-m", "sync_server", "publish", "--data", str(data))
    return int(re.search(r"published version (\d+)", printed).group(1))


def _sync_phone(home, server: str) -> dict:
    return json.loads(_run("-m", "app", "sync", "--server", server, "--json", env={"SAFE_JOURNEY_HOME": str(home)}))


def _staff_page(browser, base: str, email: str):
    context = browser.new_context(viewport=NARROW_PHONE, device_scale_factor=1)
    context.set_default_timeout(UI_TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{base}/staff/login")
    type_into(page, page.get_by_label("Email"), email)
    type_into(page, page.get_by_label("Password"), PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    assert_accessible(page)
    return context, page


def _checked(page, name: str) -> None:
    """No sideways scrolling at 360 px, no serious axe violation, and a screenshot to look at."""
    page.wait_for_load_state("load")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= NARROW_PHONE["width"], f"{page.url} is {width} px wide"
    assert_accessible(page)
    screenshot(page, SCREENSHOTS / f"staff-editor-{name}.png", full_page=True)


# Every control a keyboard user must reach, and which of them the keyboard has now (with its outline).
_CONTROLS = "main a[href], main input:not([type=hidden]), main select, main textarea, main button"
_FOCUSED = """selector => { const e = document.activeElement;
    return {index: [...document.querySelectorAll(selector)].indexOf(e), outline: getComputedStyle(e).outlineStyle,
            what: e.outerHTML.slice(0, 120),
            // A date field's focus is in its day/month/year part, which Chromium highlights itself.
            inParts: e.type === "date"}; }"""


def _reachable_by_keyboard(page) -> None:
    """Tab goes through every control of the page's main part, each showing a focus outline."""
    page.locator("body").focus()
    expected, reached = page.locator(_CONTROLS).count(), set()
    for _press in range(expected + 15):  # the skip link and the header's links and button come first
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED, _CONTROLS)
        if focused["index"] >= 0:
            assert focused["outline"] != "none" or focused["inParts"], f"{focused['what']} shows no focus outline"
            reached.add(focused["index"])
            if len(reached) == expected:
                return
    assert len(reached) == expected, f"Tab reached {len(reached)} of the {expected} controls"


def _approve_all(page, base: str, titles: list[str]) -> None:
    page.goto(f"{base}/staff/review")
    for title in titles:
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    _checked(page, "review")
    for title in titles:
        page.get_by_role("button", name=f"Approve and publish: {title}").click()
        expect(page.get_by_role("heading", name=title, exact=True)).to_have_count(0)  # the page after this approval
        expect(page.get_by_role("status")).to_contain_text("Approved")
    expect(page.get_by_text("Nothing is waiting for you.")).to_be_visible()


def _phone_shows(app, open_url, title: str, number: str, shot: str, shoot) -> None:
    page = open_url(app.url + f"articles/{ARTICLE}")
    expect(by_id(page, "article-title")).to_have_text(title)
    shoot(page, f"staff-editor-phone-article-{shot}")
    open_app(page, app.url)
    expect(by_id(page, f"home-call-{CONTACT}")).to_contain_text(re.compile(rf"Call {N.format(number)} — police"))
    shoot(page, f"staff-editor-phone-home-{shot}")


def test_an_edit_reaches_the_phone_only_after_a_second_person_approves_and_a_restore_undoes_it(
        browser, launch_app, open_url, shoot, tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    old_title = read_source(CONTENT_SOURCE_DIR)[f"text/en/{ARTICLE}.json"]["title"]
    data = server_data(tmp_path / "server")
    _run("-m", "sync_server", "content", "import", "--from", str(CONTENT_SOURCE_DIR), "--data", str(data))
    first = _publish(data)
    engine = engine_for(data)
    add_account(engine, "editor@nrcs.example.org", role="editor", society="NP")
    add_account(engine, "second@nrcs.example.org", role="editor", society="NP")
    engine.dispose()
    app = launch_app(ONBOARDED | {"country": "NP", "origin": "NP"})
    app.stop()  # the phone installs updates with `python -m app sync` while the app is closed

    with serving_process(data) as server:
        repository = f"{server.base}/repository"
        assert _sync_phone(app.home, repository)["status"] == "updated"
        editor_context, page = _staff_page(browser, server.base, "editor@nrcs.example.org")
        try:
            page.get_by_role("navigation").get_by_role("link", name="Content").click()
            expect(page.get_by_role("heading", name="Content you can edit")).to_be_visible()
            _checked(page, "home")
            for kind in ("Articles", "Where to get help, per country", "Contacts", "Emergency notices"):
                page.goto(f"{server.base}/staff/content")
                page.get_by_role("link", name=kind, exact=True).click()
                expect(page.get_by_role("heading", name=kind, exact=True)).to_be_visible()
                _checked(page, f"list-{kind.split()[0].lower()}")
            page.goto(f"{server.base}/staff/content/notices")
            page.get_by_role("link", name="Write a new emergency notice").click()
            expect(page.get_by_role("heading", name="New emergency notice")).to_be_visible()
            type_into(page, page.get_by_label("Short name"), "np-floods-test")
            type_into(page, page.get_by_label("Title (en)"), "Floods")
            page.get_by_label("First day").fill("2026-12-05")  # date fields take a value, not keystrokes
            page.get_by_label("Last day").fill("2026-12-01")
            page.get_by_role("button", name="Save as a draft for review").click()  # ends before it starts: refused
            expect(page.locator("#error-summary")).to_be_focused()
            expect(page.get_by_label("Last day")).to_have_accessible_description(re.compile("before the first day"))
            expect(page.get_by_label("Title (en)")).to_have_value("Floods")  # the typed form is kept
            _checked(page, "notice-refused")
            page.goto(f"{server.base}/staff/content/contact/no-such-contact")
            expect(page.get_by_role("heading", name="Not found")).to_be_visible()
            assert_accessible(page)

            # The article's English title, with the phone's preview.
            page.goto(f"{server.base}/staff/content")
            page.get_by_role("link", name="Red Cross and Red Crescent services (programmes)").click()
            _checked(page, "list-programmes")
            page.get_by_role("link", name=old_title, exact=True).click()
            expect(page.get_by_role("heading", name=f"Edit: {old_title}")).to_be_visible()
            type_into(page, page.get_by_label("Title", exact=True), NEW_TITLE)
            page.get_by_role("button", name="Show the preview").click()
            expect(page.locator(".phone-preview .preview-title")).to_have_text(NEW_TITLE)
            _checked(page, "article")
            _reachable_by_keyboard(page)
            page.get_by_role("button", name="Save as a draft for review").click()
            expect(page.get_by_role("status")).to_contain_text("Saved as a draft")

            # The police number: a wrong one is refused next to the field, then the right one saved.
            page.goto(f"{server.base}/staff/content/contacts")
            page.get_by_role("link", name="Police", exact=True).click()
            expect(page.get_by_role("heading", name="Edit contact: Police")).to_be_visible()
            number = page.get_by_label("Short number")
            type_into(page, number, "999")
            page.get_by_role("button", name="Check the numbers").click()
            expect(page.locator("#error-summary")).to_be_focused()  # a screen reader reads it first
            expect(number).to_have_accessible_description(re.compile("not an emergency number in NP"))
            expect(number).to_have_value("999")
            _checked(page, "contact-refused")
            _reachable_by_keyboard(page)
            type_into(page, page.get_by_label("Short number"), "112")
            page.get_by_role("button", name="Check the numbers").click()
            expect(page.get_by_role("status")).to_contain_text("pass every check")
            page.get_by_role("button", name="Save as a draft for review").click()
            expect(page.get_by_role("status")).to_contain_text("Saved as a draft")

            # Nothing reaches phones before a second person approves.
            page.goto(f"{server.base}/staff/review")
            expect(page.get_by_text("Nothing is waiting for you.")).to_be_visible()  # never your own
            _publish(data)
            _sync_phone(app.home, repository)
            assert _on_phone(app.home)[:2] == (old_title, "100")

            reviewer_context, review = _staff_page(browser, server.base, "second@nrcs.example.org")
            try:
                _approve_all(review, server.base, [f"{NEW_TITLE} (en)", "Police"])
                changed = _publish(data)
                assert changed > first
                assert _sync_phone(app.home, repository)["status"] == "updated"
                assert _on_phone(app.home)[:2] == (NEW_TITLE, "112")
                app.start()
                _phone_shows(app, open_url, NEW_TITLE, "112", "changed", shoot)
                app.stop()

                # Restore: the old versions come back as newer ones, again after a second person's approval.
                for path in (ARTICLE_TEXT, CONTACT_PATH):
                    page.goto(f"{server.base}/staff/history/{path}")
                    expect(page.get_by_role("heading", name="Version 2 (published now)")).to_be_visible()
                    _checked(page, "history")
                    page.get_by_role("button", name="Restore version 1").click()
                    expect(page.get_by_role("status")).to_contain_text("saved as a new draft")
                _approve_all(review, server.base, [f"{old_title} (en)", "Police"])
            finally:
                reviewer_context.close()
            restored = _publish(data)
            assert restored > changed
            assert _sync_phone(app.home, repository)["status"] == "updated"
            assert _on_phone(app.home)[:2] == (old_title, "100")
            page.goto(f"{server.base}/staff/history/contact/{CONTACT}.json")
            expect(page.get_by_role("heading", name="Version 3 (published now)")).to_be_visible()
        finally:
            editor_context.close()
    app.start()
    _phone_shows(app, open_url, old_title, "100", "restored", shoot)
