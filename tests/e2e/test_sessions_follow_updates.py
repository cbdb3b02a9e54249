"""After an install, every open session shows the new version, not only the one that synced."""

from __future__ import annotations

from playwright.sync_api import expect

from sync_server.local_process import running_sync_server
from tests.e2e.test_shell import by_id, scroll_to
from tests.e2e.test_sync_ui import MANUAL_ONLY, NEW_TITLE, publish_renamed_article


def test_a_tab_left_open_shows_the_update_another_tab_installed(tmp_path, launch_app, open_url):
    data = publish_renamed_article(tmp_path)
    with running_sync_server(data) as base:
        app = launch_app(settings=MANUAL_ONLY, env={"SAFE_JOURNEY_SERVER": f"{base}/repository"})
        reading = open_url(app.url + "topics/what-if")  # left open, never reloaded
        expect(by_id(reading, "article-passport-taken")).not_to_contain_text(NEW_TITLE)
        syncing = open_url(app.url + "settings")
        scroll_to(syncing, by_id(syncing, "settings-check-updates")).click()
        expect(syncing.locator("flt-semantics").get_by_text("New information was installed.")).to_be_visible(timeout=90_000)
        expect(by_id(reading, "article-passport-taken")).to_contain_text(NEW_TITLE, timeout=20_000)


def test_a_page_being_read_is_not_swapped_until_the_person_asks(tmp_path, launch_app, open_url, shoot):
    data = publish_renamed_article(tmp_path)
    with running_sync_server(data) as base:
        app = launch_app(settings=MANUAL_ONLY, env={"SAFE_JOURNEY_SERVER": f"{base}/repository"})
        reading = open_url(app.url + "articles/passport-taken")
        title = by_id(reading, "article-title")
        expect(title).to_contain_text("If your passport is taken")
        syncing = open_url(app.url + "settings")
        scroll_to(syncing, by_id(syncing, "settings-check-updates")).click()
        expect(syncing.locator("flt-semantics").get_by_text("New information was installed.")).to_be_visible(timeout=90_000)
        expect(by_id(reading, "article-show-update")).to_be_visible(timeout=20_000)
        expect(by_id(reading, "article-updated")).to_contain_text("This page was updated.")
        expect(title).not_to_contain_text(NEW_TITLE)  # the words being read stay put
        shoot(reading, "article-updated-banner")
        by_id(reading, "article-show-update").click()
        expect(by_id(reading, "article-title")).to_contain_text(NEW_TITLE)
        expect(by_id(reading, "article-updated")).to_have_count(0)
