"""Content past its signed expiry (a phone kept offline for long): home says it may be out
of date and when it was last checked; the emergency number stays above that line."""

from __future__ import annotations

import sqlite3

import pytest
from playwright.sync_api import expect

from app.locale_data import long_date
from app.runtime import Runtime
from app.storage.paths import content_db
from tests.e2e.conftest import ONBOARDED, LaunchedApp, seed_settings
from tests.e2e.test_shell import by_id

pytestmark = pytest.mark.e2e


def _expire_installed_content(home) -> None:
    """What months offline leave behind: the installed version's signed expiry is in the past."""
    connection = sqlite3.connect(content_db(home))
    try:
        connection.execute("UPDATE installedbundle SET expires_at = '2026-01-01 00:00:00.000000'")
        connection.commit()
    finally:
        connection.close()


def test_content_past_its_signed_expiry_says_so_below_the_emergency_number(tmp_path, open_url, shoot):
    home = tmp_path / "home"
    seed_settings(home, ONBOARDED)
    _expire_installed_content(home)
    runtime = Runtime.open(home)
    try:
        checked = runtime.content_freshness().verified_at
    finally:
        runtime.close()
    app = LaunchedApp(home, tmp_path / "app.log")
    app.start()
    try:
        page = open_url(app.url)
        expect(by_id(page, "home-call-emergency")).to_contain_text("999")
        line = by_id(page, "home-out-of-date")
        expect(line).to_contain_text("This information may be out of date.")
        expect(line).to_contain_text(f"It was last checked on {long_date(checked, 'en')}.")
        emergency, below = by_id(page, "home-call-emergency").bounding_box(), line.bounding_box()
        assert emergency["y"] < below["y"], "the emergency number must stay above the line"
        shoot(page, "home-out-of-date")
    finally:
        app.stop()


def test_content_within_its_signed_expiry_says_nothing(page):
    expect(by_id(page, "home-call-emergency")).to_be_visible()
    expect(by_id(page, "home-out-of-date")).to_have_count(0)
