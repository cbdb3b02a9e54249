"""The phone's storage goes wrong: the app still opens and shows the emergency number.

Each test damages a real data folder (or mounts one read-only or full), starts the real
app, and checks in Chromium what the person sees: the Malaysian emergency number (999)
and the sentence that says what happened.
"""

from __future__ import annotations

import sqlite3

import pytest
from playwright.sync_api import expect

from app.storage.paths import content_db, user_db
from tests.e2e.conftest import ONBOARDED, LaunchedApp, seed_settings
from tests.e2e.storage_faults import cut_short, damage_pages, fill, garble_header, make_read_only, tmpfs
from tests.e2e.test_journeys import pick_from_dropdown
from tests.e2e.test_shell import by_id

EMERGENCY = "999"  # Malaysia, the country ONBOARDED chose


@pytest.fixture
def start_app(tmp_path):
    """start_app(home) serves the app from `home` as it is now; stopped at the end of the test."""
    started: list[LaunchedApp] = []

    def start(home):
        app = LaunchedApp(home, tmp_path / f"app-{len(started)}.log")
        started.append(app)
        app.start()
        return app

    yield start
    for app in started:
        app.stop()


def _seeded(home, **extra):
    seed_settings(home, {**ONBOARDED, **extra})
    return home


def _emergency_number_shows(page) -> None:
    expect(by_id(page, "home-call-emergency")).to_contain_text(EMERGENCY)


@pytest.mark.parametrize("damage", ["garbled header", "cut short"])
def test_a_damaged_content_file_is_rebuilt_from_the_built_in_copy(tmp_path, start_app, open_url, damage):
    home = _seeded(tmp_path / "home")
    path = content_db(home)
    garble_header(path) if damage == "garbled header" else cut_short(path, path.stat().st_size // 2)
    page = open_url(start_app(home).url)
    _emergency_number_shows(page)
    expect(by_id(page, "storage-banner")).to_contain_text("restored from the copy built into the app")


def test_a_garbled_user_file_is_kept_aside_and_the_person_told_what_was_lost(tmp_path, start_app, open_url):
    home = _seeded(tmp_path / "home", important_numbers={"passport": "PA1234567"})
    garble_header(user_db(home))
    page = open_url(start_app(home).url)
    banner = by_id(page, "storage-banner")
    for sentence in ("Your settings could not be read", "Your saved articles could not be read",
                     "Your important numbers could not be read", "The damaged file was kept"):
        expect(banner).to_contain_text(sentence)
    assert len(list(home.glob("user.db.damaged-*"))) == 1
    # The settings are gone, so the first-launch questions come back; Malaysia again:
    by_id(page, "lang-en").click()
    by_id(page, "role-abroad").click()
    pick_from_dropdown(page, by_id(page, "welcome-country"), "Malaysia")
    by_id(page, "welcome-start").click()
    _emergency_number_shows(page)


def test_a_cut_short_user_file_keeps_what_can_still_be_read(tmp_path, start_app, open_url):
    home = _seeded(tmp_path / "home")
    connection = sqlite3.connect(user_db(home))
    connection.execute("INSERT INTO bookmark VALUES ('passport-taken', '2026-11-23 00:00:00')")
    connection.commit()
    root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'bookmark'").fetchone()[0]
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file
    connection.close()
    cut_short(user_db(home), (root - 1) * 4096)  # the settings stay, the bookmarks go
    page = open_url(start_app(home).url)
    _emergency_number_shows(page)  # the chosen country was read back
    banner = by_id(page, "storage-banner")
    expect(banner).to_contain_text("Your saved articles could not be read")
    expect(banner).not_to_contain_text("Your settings could not be read")


@pytest.mark.parametrize(("size", "harm"), [("64m", make_read_only), ("32m", fill)], ids=["read-only", "full disk"])
def test_a_data_folder_that_cannot_be_written_opens_and_says_nothing_can_be_saved(tmp_path, start_app, open_url, size, harm):
    with tmpfs(tmp_path / "home", size) as home:
        _seeded(home)
        harm(home)
        app = start_app(home)
        page = open_url(app.url)
        _emergency_number_shows(page)
        expect(by_id(page, "storage-banner")).to_contain_text("Nothing you change can be saved")
        app.stop()


def test_first_launch_on_a_nearly_full_phone_says_how_much_room_is_needed(tmp_path, start_app, open_url):
    with tmpfs(tmp_path / "home", "4m") as home:
        _seeded(home)  # the settings fit; the content does not
        assert not content_db(home).exists()
        app = start_app(home)
        page = open_url(app.url)
        _emergency_number_shows(page)
        banner = by_id(page, "storage-banner")
        expect(banner).to_contain_text("Your phone is full. The app needs about")
        expect(banner).not_to_contain_text("damaged")
        app.stop()


def test_damaged_pages_of_the_content_are_found_and_repaired_after_the_first_screen(tmp_path, start_app, open_url):
    home = _seeded(tmp_path / "home")
    damage_pages(content_db(home), 40)
    page = open_url(start_app(home).url)
    _emergency_number_shows(page)
    expect(by_id(page, "storage-banner")).to_contain_text("It has been repaired")
    with sqlite3.connect(content_db(home)) as connection:
        assert connection.execute("PRAGMA quick_check").fetchall() == [("ok",)]


def test_a_number_changed_on_the_phone_is_put_back_as_signed(tmp_path, start_app, open_url):
    home = _seeded(tmp_path / "home")
    with sqlite3.connect(content_db(home)) as connection:
        changed = connection.execute(
            "UPDATE contact SET short_number = '998' WHERE country = 'MY' AND short_number = '999'").rowcount
    assert changed == 1
    page = open_url(start_app(home).url)
    expect(by_id(page, "storage-banner")).to_contain_text("It has been repaired")
    _emergency_number_shows(page)
    expect(by_id(page, "home-call-emergency")).not_to_contain_text("998")


def test_anything_unexpected_shows_the_error_screen_with_the_emergency_numbers(tmp_path, start_app, open_url):
    home = _seeded(tmp_path / "home")
    content_db(home).unlink()
    content_db(home).mkdir()  # not a file at all: nothing the app knows how to repair
    page = open_url(start_app(home).url)
    expect(by_id(page, "error-title")).to_be_visible()
    expect(by_id(page, "error-screen")).to_contain_text(EMERGENCY)
