"""Quick exit from anywhere: an open dialog covers the app bar, so every dialog has its own Exit,
and the lock screen has one too. One tap reaches the neutral screen and nothing of the dialog stays."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ONBOARDED
from tests.e2e.test_shell import by_id, scroll_to, type_into

pytestmark = pytest.mark.e2e

PASSPORT = "PX7Q-EXIT-3141"
PIN = "975310"
# Whether any editing field of the page still holds `text` (Flutter keeps a field's text off
# its accessibility tree, in an <input> of its own while the field is on screen).
_HOLDS = "t => [...document.querySelectorAll('input, textarea')].some(e => (e.value || '').includes(t))"


def _exit_from_dialog(page) -> None:
    exit_button = by_id(page, "dialog-quick-exit")
    expect(exit_button).to_be_visible()
    page.wait_for_timeout(300)  # the dialog's opening animation: the tap must land on the still button
    exit_button.click()
    expect(by_id(page, "neutral-screen")).to_be_visible()


def test_exit_works_from_the_pin_dialog_and_the_delete_dialog(launch_app, open_url, shoot):
    app = launch_app({**ONBOARDED, "important_numbers": {"passport": PASSPORT}})

    # Halfway through choosing a PIN: one tap on the dialog's Exit, and the PIN is gone.
    page = open_url(app.url + "settings")
    scroll_to(page, by_id(page, "settings-lock-on")).click()
    type_into(page, by_id(page, "pin-new").get_by_role("textbox"), PIN)
    shoot(page, "pin-dialog-with-exit")
    _exit_from_dialog(page)
    expect(by_id(page, "pin-new")).to_have_count(0)
    expect(by_id(page, "dialog-quick-exit")).to_have_count(0)
    assert not page.evaluate(_HOLDS, PIN)
    expect(page).to_have_title("Notes")
    shoot(page, "pin-dialog-exited")

    # "Delete all my data?" open: Exit hides the app and deletes nothing.
    page = open_url(app.url + "settings")
    expect(by_id(page, "settings-lock-on")).to_have_count(1)  # the half-typed PIN was not set
    scroll_to(page, by_id(page, "settings-delete-everything")).click()
    expect(by_id(page, "delete-confirm")).to_be_visible()
    shoot(page, "delete-dialog-with-exit")
    _exit_from_dialog(page)
    expect(by_id(page, "delete-confirm")).to_have_count(0)
    page = open_url(app.url + "saved")
    expect(by_id(page, "number-passport")).to_be_visible()


def test_the_lock_screen_has_exit_and_so_has_its_delete_dialog(launch_app, open_url, shoot):
    app = launch_app({**ONBOARDED, "important_numbers": {"passport": PASSPORT}})
    page = open_url(app.url + "settings")
    scroll_to(page, by_id(page, "settings-lock-on")).click()
    type_into(page, by_id(page, "pin-new").get_by_role("textbox"), PIN)
    type_into(page, by_id(page, "pin-again").get_by_role("textbox"), PIN)
    by_id(page, "pin-save").click()
    expect(by_id(page, "settings-lock-state")).to_be_visible()

    page = open_url(app.url)
    expect(by_id(page, "lock-screen")).to_be_visible()
    for button in ("lock-unlock", "lock-delete-everything", "quick-exit"):  # no fixed heights, none below 48 px
        assert by_id(page, button).bounding_box()["height"] >= 48, button
    type_into(page, by_id(page, "lock-pin").get_by_role("textbox"), "1111")
    shoot(page, "lock-screen-with-exit")
    by_id(page, "quick-exit").click()
    expect(by_id(page, "neutral-screen")).to_be_visible()
    expect(by_id(page, "lock-screen")).to_have_count(0)
    assert not page.evaluate(_HOLDS, "1111")

    page = open_url(app.url)
    scroll_to(page, by_id(page, "lock-delete-everything")).click()
    expect(by_id(page, "delete-confirm")).to_be_visible()
    _exit_from_dialog(page)
    expect(by_id(page, "delete-confirm")).to_have_count(0)
