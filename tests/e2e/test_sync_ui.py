"""Content updates in the real app, over real HTTP: an editor publishes a change, the person
taps "Check for updates now", sees the progress and the result, and reads the change."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sync_server.local_process import running_sync_server
from tests.e2e.conftest import ONBOARDED, publish_edited_content
from tests.e2e.test_shell import by_id, scroll_to
from tests.faultproxy import Fault, FaultProxy

pytestmark = pytest.mark.e2e
NEW_TITLE = "If your passport is taken away"
# Only the tap checks for updates here: no background check may install the edit first.
MANUAL_ONLY = {**ONBOARDED, "data_use": "never"}


def publish_renamed_article(tmp_path):
    """A server folder with the content published once, one article's title changed to NEW_TITLE."""
    def rename(source):
        article = source / "articles" / "passport-taken.md"
        article.write_text(article.read_text().replace("title: If your passport is taken", f"title: {NEW_TITLE}", 1))

    return publish_edited_content(tmp_path, rename)


def test_check_now_shows_progress_and_result_then_the_edit(tmp_path, launch_app, open_url, shoot):
    data = publish_renamed_article(tmp_path)
    with running_sync_server(data) as base:
        # A slow link, so the progress can be seen on screen.
        proxy = FaultProxy(int(base.rsplit(":", 1)[1]))
        proxy.set_fault(Fault("slow", bytes_per_second=8_000, delay_seconds=0.3))
        try:
            app = launch_app(settings=MANUAL_ONLY, env={"SAFE_JOURNEY_SERVER": f"http://127.0.0.1:{proxy.port}/repository"})
            page = open_url(app.url + "settings")
            version = scroll_to(page, by_id(page, "settings-version"))
            before = version.inner_text()
            scroll_to(page, by_id(page, "settings-check-updates")).click()
            status = by_id(page, "settings-sync-status")
            # At 8 kB/s the signed lists of 2,000 items take about 40 s before the download starts.
            expect(status).to_have_text(re.compile(r"^Downloading… \d+ KB$"), timeout=120_000)
            shoot(page, "settings-update-progress")
            proxy.set_fault(None)  # progress seen: the rest of the update at full speed
            expect(status).to_have_text("New information was installed.", timeout=90_000)
            expect(by_id(page, "settings-version")).not_to_have_text(before)
            expect(scroll_to(page, by_id(page, "settings-last-verified"))).to_be_visible()
            shoot(page, "settings-update-done")
            topic = open_url(app.url + "topics/what-if")  # a new session reads the new content
            expect(by_id(topic, "article-passport-taken")).to_contain_text(NEW_TITLE, timeout=20_000)
            shoot(topic, "topic-after-update")
        finally:
            proxy.close()


def _tap_cancel(page) -> None:
    """Tap Cancel once it is clear of the bars at the bottom and the screen is still."""
    cancel = scroll_to(page, by_id(page, "settings-cancel-update"))
    page.mouse.wheel(0, 200)  # the status line and tabs cover the last 110 px
    page.wait_for_timeout(300)
    cancel.click()


def test_cancel_stops_the_update_and_keeps_the_information(tmp_path, launch_app, open_url, shoot):
    data = publish_renamed_article(tmp_path)
    with running_sync_server(data) as base:
        # The download stalls: without Cancel the person would wait minutes.
        proxy = FaultProxy(int(base.rsplit(":", 1)[1]))
        proxy.set_fault(Fault("stall", path_contains="/targets/", at_byte=10, delay_seconds=120))
        try:
            app = launch_app(settings=MANUAL_ONLY, env={"SAFE_JOURNEY_SERVER": f"http://127.0.0.1:{proxy.port}/repository"})
            page = open_url(app.url + "settings")
            before = scroll_to(page, by_id(page, "settings-version")).inner_text()
            scroll_to(page, by_id(page, "settings-check-updates")).click()
            # The change list is a target too: the sync stalls while still "checking".
            expect(by_id(page, "settings-sync-status")).to_have_text(re.compile(r"^(Checking|Downloading)"))
            status = by_id(page, "settings-sync-status")
            _tap_cancel(page)
            try:
                expect(status).to_have_text("You stopped the update. Your information is unchanged.", timeout=10_000)
            except AssertionError:
                # On a busy machine the tap can land while the screen is still moving (on the
                # bar below it): tap again only if Cancel is still there, i.e. it was not taken.
                expect(by_id(page, "settings-cancel-update")).to_have_count(1)
                _tap_cancel(page)
                expect(status).to_have_text("You stopped the update. Your information is unchanged.", timeout=10_000)
            expect(by_id(page, "settings-cancel-update")).to_have_count(0)
            expect(by_id(page, "settings-version")).to_have_text(before)
            shoot(page, "settings-update-cancelled")
            topic = open_url(app.url + "topics/what-if")  # the old content, still all there
            expect(by_id(topic, "article-passport-taken")).to_be_visible()
            expect(by_id(topic, "article-passport-taken")).not_to_contain_text(NEW_TITLE)
        finally:
            proxy.close()
