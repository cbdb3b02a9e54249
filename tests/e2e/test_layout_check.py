"""The sideways-scroll check itself: it passes on a screen that fits and fails on one with a
1200 px control, where `document.scrollWidth` (the old check) still says 390."""

from __future__ import annotations

import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import REPO_ROOT, app_env, assert_no_sideways_scroll, stop_app, wait_until_up
from tests.e2e.test_shell import by_id
from sync_server.local_process import free_port

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("wide", [False, True])
def test_sideways_check_fails_only_on_a_wide_control(open_url, tmp_path, wide):
    port = free_port()
    command = [sys.executable, str(REPO_ROOT / "tests" / "e2e" / "wide_app.py"), str(port)] + (["--wide"] if wide else [])
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=app_env(tmp_path), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_until_up(url, process)
        page = open_url(url)
        expect(by_id(page, "below")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") == 390  # blind to the wide control
        if wide:
            with pytest.raises(AssertionError, match=r"wider than the 390 px screen: \[.*\.\.1\d{3} px"):
                assert_no_sideways_scroll(page)
        else:
            assert_no_sideways_scroll(page)
    finally:
        stop_app(process)
