"""A family member fills "Find my family member" in a real browser; the app's background
owner delivers it to the real server (`sync_server serve`) over loopback; a caseworker of the
Nepal Red Cross logs in to /staff/ in another browser, opens it and moves it on; the phone
shows the new status and the caseworker's message, and the person can withdraw it."""

from __future__ import annotations

import re
import subprocess
import sys
import time

import phonenumbers
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from sync_server.local_process import free_port, serving_process
from sync_server.paths import REPO_ROOT
from tests.e2e.conftest import ONBOARDED, UI_TIMEOUT_MS, LaunchedApp, seed_settings
from tests.e2e.test_shell import by_id, scroll_to, type_into
from tests.intake_helpers import server_data
from tests.real_intake import NO_RATE_LIMIT, Intake
from tests.staff_helpers import PASSWORD
from tests.test_help_request_forms import VALID, example_mobile

E164 = phonenumbers.PhoneNumberFormat.E164

pytestmark = pytest.mark.e2e

SOUGHT = "Ramesh QZFAMILY Tamang"


STILL_FOR_TWO_FRAMES = """e => new Promise(done => { const top = e.getBoundingClientRect().top;
    requestAnimationFrame(() => requestAnimationFrame(() => done(e.getBoundingClientRect().top === top))); })"""


def _type(page, field: str, value: str) -> None:
    """Type into a field of the long form once it stands still, and check it got the text."""
    textbox = by_id(page, f"request-{field}").get_by_role("textbox")
    for _attempt in range(3):
        scroll_to(page, by_id(page, f"request-{field}"))
        while not textbox.evaluate(STILL_FOR_TWO_FRAMES):
            pass
        type_into(page, textbox, value)
        try:
            expect(textbox).to_have_value(value, timeout=3_000)
            return
        except AssertionError:
            continue
    expect(textbox).to_have_value(value)


def _fill(page, values: dict[str, str]) -> None:
    """Fill the text fields, then check every one again: in headless Chromium a tap right
    after a scroll now and then lands on the field above (its semantics box is not yet
    where the field is drawn), so a field typed earlier can be overwritten. The server-side
    check below would catch any field still wrong."""
    for field, value in values.items():
        _type(page, field, value)
    for _round in range(3):
        wrong = [f for f, v in values.items() if by_id(page, f"request-{f}").get_by_role("textbox").input_value() != v]
        if not wrong:
            return
        for field in wrong:
            _type(page, field, values[field])
    assert not wrong, wrong


def _pick_country(page, field: str, typed: str, name: str) -> None:
    """Open the country picker, search it, tap the country and check the choice, picking again
    if needed. A tap while the picker is still opening, or its list still being redrawn, can
    land on the row that stands there at that instant (a fresh-clone run once chose Cambodia
    this way and then waited for a search box that had closed)."""
    chosen = by_id(page, field).get_by_role("button")
    search = by_id(page, f"{field}-search").locator("input")
    for _attempt in range(3):
        try:
            if not search.count():
                scroll_to(page, by_id(page, field)).click()
            expect(search).to_be_visible(timeout=10_000)
            while not search.evaluate(STILL_FOR_TWO_FRAMES):
                pass  # the picker has finished opening
            type_into(page, search, typed)
            expect(page.get_by_role("button", name="Cambodia", exact=True)).to_have_count(0)  # filtered
            scroll_to(page, page.get_by_role("button", name=name, exact=True)).click()
            expect(chosen).to_have_accessible_name(re.compile(name), timeout=5_000)
            return
        except (AssertionError, PlaywrightTimeoutError):
            continue
    expect(chosen).to_have_accessible_name(re.compile(name))


def _caseworker_moves_it_on(browser, base: str, receipt: str, message: str, shoot) -> None:
    """The Nepal Red Cross caseworker's side, in its own browser: log in, open, change the status."""
    context = browser.new_context(viewport={"width": 360, "height": 780}, device_scale_factor=1)
    context.set_default_timeout(UI_TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(f"{base}/staff/inbox")
        type_into(page, page.get_by_label("Email"), "case@example.org")
        type_into(page, page.get_by_label("Password"), PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
        page.get_by_role("navigation").get_by_role("link", name="Inbox").click()
        page.locator("tr", has_text=receipt).get_by_role("link", name=receipt).click()
        expect(page.get_by_text(SOUGHT)).to_be_visible()  # opened for the caseworker only
        page.get_by_label("Being handled").check()
        type_into(page, page.get_by_label("Short message the requester sees (optional)"), message)
        page.get_by_role("button", name="Change the status").click()
        expect(page.get_by_role("status")).to_contain_text("The status was changed")
        shoot(page, "help-requests-caseworker")
    finally:
        context.close()


def test_find_my_family_member_reaches_a_caseworker_whose_answer_comes_back(
        launch_app, open_url, browser, tmp_path, shoot):
    data = server_data(tmp_path / "server")
    added = subprocess.run([sys.executable, "-m", "sync_server", "user", "add", "--ns", "NP", "--role", "caseworker",
                            "--email", "case@example.org", "--password-stdin", "--data", str(data)],
                           input=PASSWORD + "\n", capture_output=True, text=True, cwd=REPO_ROOT, timeout=180)
    assert added.returncode == 0, added.stderr
    with serving_process(data, options=NO_RATE_LIMIT) as server:
        base, intake = server.base, Intake(data)
        app = launch_app(ONBOARDED, env={"SAFE_JOURNEY_SERVER": base}, args=("--sync-interval", "5"))
        page = open_url(app.url)
        scroll_to(page, by_id(page, "open-help")).click()
        expect(by_id(page, "help-title")).to_be_visible()
        shoot(page, "help-requests-entry")
        by_id(page, "help-tracing").click()
        expect(by_id(page, "request-form-title")).to_be_visible()

        scroll_to(page, by_id(page, "request-send")).click()  # nothing filled in yet
        expect(page.locator("span", has_text="Please check the fields marked in red.")).to_be_visible()
        assert intake.count() == 0
        shoot(page, "help-requests-tracing-refused")

        _fill(page, {"sought_name": SOUGHT, "relationship": "my brother"})
        _pick_country(page, "request-last_country", "mala", "Malaysia")
        _fill(page, {"last_city": "Kuala Lumpur", "requester_name": "Sita", "requester_phone": example_mobile("NP")})
        scroll_to(page, by_id(page, "request-consent")).click()
        shoot(page, "help-requests-tracing-filled")
        scroll_to(page, by_id(page, "request-send")).click()

        expect(by_id(page, "my-requests-title")).to_be_visible()
        expect(page.get_by_text("Delivered", exact=True)).to_be_visible(timeout=30_000)
        shoot(page, "help-requests-delivered")
        [(receipt, stored)] = intake.requests().items()
        assert (stored["kind"], stored["route"]) == ("tracing", ["NP", "MY"])
        assert stored["fields"] == {
            "sought_name": SOUGHT, "relationship": "my brother", "last_country": "MY", "last_city": "Kuala Lumpur",
            "requester_name": "Sita", "requester_phone": example_mobile("NP", E164), "home_country": "NP",
            "consent": True}
        expect(page.get_by_role("group", name=re.compile(re.escape(receipt)))).to_be_visible()

        _caseworker_moves_it_on(browser, base, receipt, "We have started looking.", shoot)
        expect(page.get_by_text("Being handled", exact=True)).to_be_visible(timeout=30_000)
        expect(page.get_by_role("group", name=re.compile("We have started looking."))).to_be_visible()
        shoot(page, "help-requests-in-progress")

        page.get_by_role("button", name="Withdraw this request").click()
        by_id(page, "withdraw-confirm").click()
        expect(page.get_by_text("Withdrawn", exact=True)).to_be_visible()
        held = intake.requests()[receipt]
        assert held["status"] == "withdrawn" and held["fields"] is None
        intake.close()
        expect(page.get_by_role("button", name="Withdraw this request")).to_have_count(0)
    leftovers = [p.name for p in app.home.rglob("*") if p.is_file() and b"QZFAMILY" in p.read_bytes()]
    assert leftovers == []


def _wait_for_log(app: LaunchedApp, words: str, timeout_s: float = 90) -> None:
    deadline = time.monotonic() + timeout_s
    while words not in app.log_path.read_text(errors="replace"):
        assert time.monotonic() < deadline, f"the app never logged {words!r}"
        time.sleep(0.2)


def test_a_request_the_red_cross_cannot_be_reached_for_waits_and_can_be_cancelled(open_url, tmp_path, shoot):
    from app.help_requests.forms import Kind
    from app.runtime import Runtime

    home = tmp_path / "home"
    home.mkdir()
    seed_settings(home, ONBOARDED)
    runtime = Runtime.open(home)
    try:
        row_id = runtime.new_request("safe", VALID[Kind.safe])  # filled in, then sent while offline
    finally:
        runtime.close()
    # Nothing listens on this port: every try to send is refused before a byte leaves the phone.
    app = LaunchedApp(home, tmp_path / "app.log", {"SAFE_JOURNEY_SERVER": f"http://127.0.0.1:{free_port()}"},
                      ("--sync-interval", "600"))  # one round at start, none during the test
    app.start()
    try:
        _wait_for_log(app, "requests not sent: ConnectError")  # a whole round of tries has failed
        page = open_url(app.url + "help/requests")
        # It said "Sending", with no way to cancel, for as long as the server was down.
        expect(by_id(page, f"request-status-{row_id}")).to_have_text("Waiting to send")
        expect(by_id(page, f"request-waiting-{row_id}")).to_have_text(
            "Your request is saved. It will be sent when you are online.")
        shoot(page, "help-requests-unreachable-waiting")
        by_id(page, f"request-cancel-{row_id}").click()
        expect(by_id(page, "my-requests-empty")).to_be_visible()
        shoot(page, "help-requests-unreachable-cancelled")
    finally:
        app.stop()
    reopened = Runtime.open(home)
    try:
        assert reopened.user.outbox.summaries() == []
    finally:
        reopened.close()
