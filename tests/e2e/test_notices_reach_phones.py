"""An emergency notice published by a National Society reaches phones that are open, with
nobody tapping anything: two phones (a Nepali and a Bengali speaker, both in Malaysia) keep
their home screen open while the notice is published, then ended."""

from __future__ import annotations

import shutil
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from app.i18n_tools import read_catalog, po_path
from app.storage.paths import CONTENT_SOURCE_DIR
from sync_server.local_process import running_sync_server
from tests.e2e.conftest import ONBOARDED, publish_content
from tests.e2e.test_shell import by_id, scroll_to
from tests.test_background_serve import write_notice

pytestmark = pytest.mark.e2e
NOTICE = "selangor-flood"
TITLE_EN = "Flood warning in Selangor"
TITLE_NE = "सेलाङ्गोरमा बाढीको चेतावनी"
# A background check every 3 s: a notice is on screen well within the 60 s a step may take here.
SHOWN_WITHIN_MS = 60_000


def _translated(lang: str, msgid: str) -> str:
    return read_catalog(po_path(lang), lang).get(msgid).string


def test_a_published_notice_reaches_both_open_phones_in_their_language(tmp_path, launch_app, open_url, shoot):
    source, data = tmp_path / "content", tmp_path / "server"
    shutil.copytree(CONTENT_SOURCE_DIR, source)
    publish_content(data, source)
    with running_sync_server(data) as base:
        env = {"SAFE_JOURNEY_SERVER": f"{base}/repository"}
        args = ("--sync-interval", "3")
        nepali_app = launch_app(settings={**ONBOARDED, "language": "ne", "origin": "NP"}, env=env, args=args)
        bengali_app = launch_app(settings={**ONBOARDED, "language": "bn", "origin": "BD"}, env=env, args=args)
        nepali, bengali = open_url(nepali_app.url), open_url(bengali_app.url)
        expect(by_id(nepali, "home-call-emergency")).to_be_visible()
        expect(by_id(nepali, f"notice-{NOTICE}")).to_have_count(0)
        expect(by_id(bengali, f"notice-{NOTICE}")).to_have_count(0)

        # Published: both home screens show it, without a reload.
        write_notice(source, NOTICE, titles={"en": TITLE_EN, "ne": TITLE_NE})
        publish_content(data, source)
        shown_ne = by_id(nepali, f"notice-{NOTICE}")
        expect(shown_ne).to_contain_text(TITLE_NE, timeout=SHOWN_WITHIN_MS)
        expect(shown_ne).to_contain_text(_translated("ne", "Danger"))
        shown_bn = by_id(bengali, f"notice-{NOTICE}")
        expect(shown_bn).to_contain_text(TITLE_EN, timeout=SHOWN_WITHIN_MS)  # no Bengali text: the source language…
        expect(shown_bn).to_contain_text(  # …and a note saying so, in Bengali
            _translated("bn", "This notice is not translated into your language yet."))
        shoot(nepali, "home-notice-ne")
        shoot(bengali, "home-notice-bn")

        # Ended (its last day is past): it leaves both home screens by itself…
        yesterday = date.today() - timedelta(days=1)
        write_notice(source, NOTICE, titles={"en": TITLE_EN, "ne": TITLE_NE}, ends=yesterday,
                     starts=yesterday - timedelta(days=1))
        publish_content(data, source)
        expect(by_id(nepali, f"notice-{NOTICE}")).to_have_count(0, timeout=SHOWN_WITHIN_MS)
        expect(by_id(bengali, f"notice-{NOTICE}")).to_have_count(0, timeout=SHOWN_WITHIN_MS)
        # …and the notices screen lists it among the past ones.
        scroll_to(nepali, by_id(nepali, "open-notices")).click()
        expect(by_id(nepali, f"notices-past-{NOTICE}")).to_contain_text(TITLE_NE)
        expect(by_id(nepali, f"notices-current-{NOTICE}")).to_have_count(0)
        shoot(nepali, "notices-ne")
