"""A Nepali reader is told when an article is a machine translation nobody has checked, and is
no longer told once a reviewer's check reaches the phone in an update."""

from __future__ import annotations


import pytest
from playwright.sync_api import expect

from app.i18n import catalog
from sync_server.local_process import running_sync_server
from tests.e2e.conftest import publish_edited_content
from tests.e2e.test_shell import by_id, scroll_to
from tests.e2e.test_sync_ui import MANUAL_ONLY

pytestmark = pytest.mark.e2e

ARTICLE = "passport-taken"


def publish_reviewed_translation(tmp_path):
    """A server folder with the content published once, the Nepali text of ARTICLE marked reviewed."""
    def mark_reviewed(source):
        text = source / "translations" / "ne" / f"{ARTICLE}.md"
        assert "reviewed: false" in text.read_text()  # the shipped text is a machine's: the note shows
        text.write_text(text.read_text().replace("reviewed: false", "reviewed: true", 1))

    return publish_edited_content(tmp_path, mark_reviewed)


def test_the_machine_translation_note_goes_once_a_reviewer_checked_the_text(tmp_path, launch_app, open_url, shoot):
    ne = catalog("ne").gettext
    data = publish_reviewed_translation(tmp_path)
    with running_sync_server(data) as base:
        app = launch_app(settings={**MANUAL_ONLY, "language": "ne"}, env={"SAFE_JOURNEY_SERVER": f"{base}/repository"})
        reading = open_url(app.url + f"articles/{ARTICLE}")
        note = by_id(reading, "article-translation-note")
        expect(note).to_contain_text(ne("Machine translation, not yet checked."))
        shoot(reading, "article-machine-translation-note")

        syncing = open_url(app.url + "settings")
        scroll_to(syncing, by_id(syncing, "settings-check-updates")).click()
        expect(by_id(syncing, "settings-sync-status")).to_have_text(ne("New information was installed."), timeout=90_000)
        fresh = open_url(app.url + f"articles/{ARTICLE}")
        expect(by_id(fresh, "article-title")).to_be_visible()
        expect(by_id(fresh, "article-translation-note")).to_have_count(0)
        expect(by_id(reading, "article-translation-note")).to_have_count(0, timeout=20_000)  # the open page too
        shoot(fresh, "article-reviewed-translation")
