"""Privacy in the real app: delete all my data (and, below, the app lock)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ONBOARDED
from tests.e2e.test_journeys import content_runtime, pick_from_dropdown
from tests.document_images import png_photo
from tests.e2e.test_shell import by_id, scroll_to, type_into

pytestmark = pytest.mark.e2e

PASSPORT = "PX7Q-DELETE-5521"


def test_delete_all_my_data_asks_first_then_returns_to_the_first_launch(launch_app, open_url, shoot):
    app = launch_app({**ONBOARDED, "important_numbers": {"passport": PASSPORT}})
    page = open_url(app.url + "settings")
    scroll_to(page, by_id(page, "settings-delete-everything")).click()
    expect(by_id(page, "delete-confirm")).to_be_visible()
    by_id(page, "delete-cancel").click()  # "Keep my data" keeps it
    expect(by_id(page, "delete-confirm")).to_have_count(0)
    expect(by_id(page, "settings-title")).to_be_visible()

    scroll_to(page, by_id(page, "settings-delete-everything")).click()
    expect(by_id(page, "delete-confirm")).to_be_visible()
    page.wait_for_timeout(500)
    shoot(page, "delete-everything-confirm")
    by_id(page, "delete-confirm").click()
    expect(by_id(page, "lang-en")).to_be_visible()  # the first-launch questions
    expect(page.get_by_text("Your data was deleted from this phone.").last).to_be_visible()

    by_id(page, "lang-en").click()
    by_id(page, "role-abroad").click()
    pick_from_dropdown(page, by_id(page, "welcome-country"), "Malaysia")
    by_id(page, "welcome-start").click()
    expect(by_id(page, "home-call-emergency")).to_contain_text("999")  # the emergency numbers stayed
    app.stop()
    rt = content_runtime(app.home)
    try:
        assert rt.user.setting("important_numbers") is None
        assert rt.user.setting("origin") is None
    finally:
        rt.close()


PIN = "246810"


def _unlock_with(page, pin: str) -> None:
    type_into(page, by_id(page, "lock-pin").get_by_role("textbox"), pin)
    by_id(page, "lock-unlock").click()


def test_the_app_lock_keeps_the_emergency_number_reachable_and_asks_again_after_a_wrong_pin(
        launch_app, open_url, shoot):
    app = launch_app({**ONBOARDED, "important_numbers": {"passport": PASSPORT}})
    page = open_url(app.url + "settings")
    scroll_to(page, by_id(page, "settings-lock-on")).click()
    type_into(page, by_id(page, "pin-new").get_by_role("textbox"), "2468")
    type_into(page, by_id(page, "pin-again").get_by_role("textbox"), "2468")
    by_id(page, "pin-save").click()
    expect(by_id(page, "pin-problem")).to_contain_text("at least 6 digits")
    type_into(page, by_id(page, "pin-new").get_by_role("textbox"), PIN)
    type_into(page, by_id(page, "pin-again").get_by_role("textbox"), PIN)
    by_id(page, "pin-save").click()
    expect(by_id(page, "settings-lock-state")).to_contain_text("The app lock is on.")

    # Opened again (a new tab, as a reload is), straight at the saved numbers:
    page = open_url(app.url + "saved")
    expect(by_id(page, "lock-screen")).to_be_visible()
    expect(by_id(page, "home-call-emergency")).to_contain_text("999")  # no PIN needed for 999
    expect(by_id(page, "number-passport")).to_have_count(0)
    _unlock_with(page, "135790")
    expect(by_id(page, "lock-message")).to_contain_text("That PIN is not right. Please try again. Tries so far: 1.")
    page.wait_for_timeout(500)
    shoot(page, "lock-wrong-pin")
    _unlock_with(page, PIN)
    expect(by_id(page, "saved-title")).to_be_visible()  # where the address pointed, now unlocked
    expect(by_id(page, "number-passport")).to_be_visible()  # (Flutter keeps a field's text off the tree)

    # Quick exit drops the key: the same address, loaded again, is locked.
    by_id(page, "quick-exit").click()
    expect(by_id(page, "neutral-screen")).to_be_visible()
    page = open_url(app.url + "saved")
    expect(by_id(page, "lock-screen")).to_be_visible()
    expect(by_id(page, "number-passport")).to_have_count(0)


def _send_app_to_background_and_back(page) -> None:
    """What the browser tells the engine when the tab (on a phone: the app) is hidden, then shown."""
    for visibility in ("hidden", "visible"):
        page.evaluate("""v => {
            Object.defineProperty(document, 'visibilityState', {value: v, configurable: true});
            Object.defineProperty(document, 'hidden', {value: v === 'hidden', configurable: true});
            document.dispatchEvent(new Event('visibilitychange'));
        }""", visibility)


def test_an_app_left_in_the_background_asks_for_the_pin_again(launch_app, open_url):
    app = launch_app({**ONBOARDED, "important_numbers": {"passport": PASSPORT}}, args=("--lock-after", "0"))
    page = open_url(app.url + "settings")
    scroll_to(page, by_id(page, "settings-lock-on")).click()
    type_into(page, by_id(page, "pin-new").get_by_role("textbox"), PIN)
    type_into(page, by_id(page, "pin-again").get_by_role("textbox"), PIN)
    by_id(page, "pin-save").click()
    expect(by_id(page, "settings-lock-state")).to_contain_text("The app lock is on.")
    by_id(page, "nav-saved").click()  # this session is unlocked: the numbers show
    expect(by_id(page, "number-passport")).to_be_visible()

    _send_app_to_background_and_back(page)
    expect(by_id(page, "lock-screen")).to_be_visible()
    expect(by_id(page, "number-passport")).to_have_count(0)
    expect(by_id(page, "home-call-emergency")).to_contain_text("999")


BACKUP_PASSPHRASE = "mango tree by the river 7"


def _type_passphrase(page, identifier: str, passphrase: str) -> None:
    type_into(page, by_id(page, identifier).get_by_role("textbox"), passphrase)


def test_a_backup_saved_in_settings_restores_on_a_new_phone(launch_app, open_url, tmp_path, shoot):
    old_phone = launch_app({**ONBOARDED, "important_numbers": {"passport": PASSPORT}})
    old_phone.stop()  # a photo in the safe, put there while the app is not running
    photo = png_photo(PASSPORT)
    rt = content_runtime(old_phone.home)
    try:
        rt.user.documents.add("passport.png", photo)
    finally:
        rt.close()
    page = open_url(old_phone.start() + "settings")
    scroll_to(page, by_id(page, "settings-backup-save")).click()
    _type_passphrase(page, "backup-passphrase", "too short")
    _type_passphrase(page, "backup-passphrase-again", "too short")
    by_id(page, "backup-save-file").click()
    expect(by_id(page, "backup-problem")).to_contain_text("Choose a passphrase of at least 10 characters.")
    _type_passphrase(page, "backup-passphrase", BACKUP_PASSPHRASE)
    _type_passphrase(page, "backup-passphrase-again", BACKUP_PASSPHRASE)
    with page.expect_download() as download:
        by_id(page, "backup-save-file").click()
    file = tmp_path / download.value.suggested_filename
    download.value.save_as(file)
    assert file.name.startswith("backup-") and PASSPORT.encode() not in file.read_bytes()
    expect(page.get_by_text("Your backup was saved.", exact=False).last).to_be_visible()

    new_phone = launch_app(ONBOARDED)
    page = open_url(new_phone.url + "settings")
    for passphrase in ("mango tree by the sea 7", BACKUP_PASSPHRASE):
        if passphrase == BACKUP_PASSPHRASE:
            expect(by_id(page, "backup-problem")).to_contain_text(
                "That passphrase does not open this backup. Nothing was changed.")
        else:
            scroll_to(page, by_id(page, "settings-backup-restore")).click()
        _type_passphrase(page, "backup-passphrase", passphrase)
        with page.expect_file_chooser() as chooser:
            by_id(page, "backup-choose-file").click()
        chooser.value.set_files(str(file))
    expect(page.get_by_text("Your saved things were restored from the backup.").last).to_be_visible()
    page.wait_for_timeout(500)
    shoot(page, "backup-restored")
    new_phone.stop()
    rt = content_runtime(new_phone.home)
    try:
        assert rt.user.setting("important_numbers") == {"passport": PASSPORT}
        [document] = rt.user.documents.list()
        assert rt.user.documents.open(document.id)[1] == photo  # the photo came back, byte for byte
    finally:
        rt.close()
