"""In headless Chromium against a real `serve`: an editor of the Nepal Red Cross adds a contact
(a number of Malaysia is refused next to the field, the typed form kept), finds it under "My
changes" waiting for a second person; an admin approves it and the editor's page says so.
axe-core finds nothing serious or critical on the new pages (the editor's and the admin's
"Add a contact", "My changes") nor on the admin's accounts and audit log pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from sync_server.db import engine_for, migrate_database
from sync_server.editor import store
from sync_server.local_process import serving_process
from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_shell import type_into
from tests.e2e.test_staff_editor import _checked, _staff_page
from tests.editor_helpers import small_items
from tests.intake_helpers import server_data
from tests.staff_helpers import add_account
from tests.test_editor_more_store import example_number

pytestmark = pytest.mark.e2e
NAME = "Nepal Red Cross Society"


def test_an_editor_adds_a_contact_a_second_person_approves_it_and_my_changes_says_so(browser, tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    data = server_data(tmp_path / "server")
    engine = engine_for(data)
    migrate_database(engine)
    with Session(engine) as session:
        store.import_items(session, small_items())
    add_account(engine, "editor@nrcs.example.org", role="editor", society="NP")
    add_account(engine, "admin@example.org", role="admin", society="NP")
    engine.dispose()
    with serving_process(data) as server:
        context, page = _staff_page(browser, server.base, "editor@nrcs.example.org")
        try:
            page.get_by_role("navigation").get_by_role("link", name="Content").click()
            page.get_by_role("link", name="Add a contact", exact=True).click()
            expect(page.get_by_role("heading", name="Add a contact")).to_be_visible()
            type_into(page, page.get_by_label("Name"), NAME)
            phone = page.get_by_label("Phone number")
            type_into(page, phone, example_number("MY"))
            type_into(page, page.get_by_label("Source"), "Called the office")
            page.get_by_label("Checked on").fill("2026-11-20")  # a date field takes a value, not keystrokes
            page.get_by_role("button", name="Save as a draft for review").click()
            expect(page.locator("#error-summary")).to_be_focused()  # a screen reader reads it first
            expect(phone).to_have_accessible_description(re.compile("belongs to MY, not NP"))
            expect(page.get_by_label("Name")).to_have_value(NAME)  # the typed form is kept
            _checked(page, "new-contact-refused")
            type_into(page, phone, example_number("NP"))
            page.get_by_role("button", name="Save as a draft for review").click()
            expect(page.get_by_role("heading", name="My changes")).to_be_visible()
            expect(page.get_by_role("status")).to_contain_text("Saved as a draft")
            expect(page.locator("section.change")).to_contain_text("Waiting for a second person")
            _checked(page, "my-changes-waiting")
            admin_context, admin = _staff_page(browser, server.base, "admin@example.org")
            try:
                for path, heading in (("/staff/content/contact/new", "Add a contact"), ("/staff/content/mine", "My changes"),
                                      ("/staff/admin/accounts", None), ("/staff/admin/audit", None)):
                    admin.goto(server.base + path)
                    if heading:
                        expect(admin.get_by_role("heading", name=heading, exact=True)).to_be_visible()
                    admin.wait_for_load_state("load")
                    assert_accessible(admin, path)
                admin.goto(f"{server.base}/staff/review")
                admin.get_by_role("button", name=f"Approve and publish: {NAME}").click()
                expect(admin.get_by_role("status")).to_contain_text("Approved")
            finally:
                admin_context.close()
            page.goto(f"{server.base}/staff/content/mine")
            expect(page.locator("section.change")).to_contain_text("Approved by admin@example.org and published")
            expect(page.get_by_role("link", name=f"Versions of {NAME}")).to_be_visible()
            _checked(page, "my-changes-approved")
        finally:
            context.close()
