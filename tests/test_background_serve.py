"""`python -m app serve` keeps itself current with nobody looking: real processes, real HTTP
on loopback, no browser. A proxy in front of the sync server counts what the app asks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import psutil

from app.background_updates import AUTOMATIC_ATTEMPTS
from app.storage.paths import CONTENT_SOURCE_DIR, REPO_ROOT
from sync_server.local_process import free_port, wait_until_answering
from tests.e2e.conftest import publish_content, seed_settings
from tests.faultproxy import FaultProxy
from tests.test_background_updates import server  # noqa: F401  (server is a fixture)

CATCH_UP_S = 30  # the promise: a published notice is on the phone within 30 s


class App:
    """`python -m app serve` with its own data folder; its log is kept to read."""

    def __init__(self, home: Path, server: str, *options: str, settings: dict | None = None) -> None:
        self.home = home
        self.log = home.parent / f"{home.name}.log"
        home.mkdir(parents=True)
        if settings:
            seed_settings(home, settings)
        env = {**os.environ, "SAFE_JOURNEY_HOME": str(home), "SAFE_JOURNEY_SERVER": server,
               "FLET_SERVER_IP": "127.0.0.1", "FLET_WEB_NO_CDN": "1", "FLET_FORCE_WEB_SERVER": "1",
               "PYTHONUNBUFFERED": "1"}
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "app", "serve", "--port", str(free_port()), *options],
                cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)

    def log_count(self, words: str) -> int:
        return self.log.read_text(errors="replace").count(words)

    def wait_for_log(self, words: str, times: int, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while self.log_count(words) < times:
            assert self.process.poll() is None, self.log.read_text(errors="replace")
            assert time.monotonic() < deadline, f"{words!r} fewer than {times} times:\n{self.log.read_text(errors='replace')}"
            time.sleep(0.2)

    def export(self) -> dict:
        env = {**os.environ, "SAFE_JOURNEY_HOME": str(self.home)}
        out = subprocess.run([sys.executable, "-m", "app", "export", "--json"], cwd=REPO_ROOT, env=env,
                             capture_output=True, text=True, check=True)
        return json.loads(out.stdout)

    def wait_for_export(self, check, seconds: float) -> dict:
        deadline = time.monotonic() + seconds
        while True:
            exported = self.export()
            if check(exported):
                return exported
            assert time.monotonic() < deadline, f"not within {seconds} s:\n{self.log.read_text(errors='replace')[-3000:]}"
            time.sleep(0.5)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _server_version(base: str) -> int:
    return httpx.get(f"{base}/repository/metadata/timestamp.json").json()["signed"]["version"]


def write_notice(source: Path, notice_id: str, *, countries=("MY",), starts: date | None = None,
                 ends: date | None = None, titles: dict[str, str] | None = None) -> None:
    """A notice in the content source, as an editor writes it (in force from today for 3 days by default)."""
    starts = starts or date.today()
    ends = ends or starts + timedelta(days=3)
    titles = titles or {"en": "Flood warning in Selangor"}
    lines = [f"id: {notice_id}", f"countries: [{', '.join(countries)}]", "severity: danger",
             f"starts: {starts.isoformat()}", f"ends: {ends.isoformat()}", "title:"]
    lines += [f"  {lang}: {json.dumps(title, ensure_ascii=False)}" for lang, title in titles.items()]
    lines += ["body:", '  en: "Move to higher ground. Follow the orders of the local authorities."']
    (source / "notices" / f"{notice_id}.yaml").write_text("\n".join(lines) + "\n")


def _serve_repository(data: Path, port: int) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "sync_server", "serve", "--host", "127.0.0.1",
                               "--port", str(port), "--data", str(data)], cwd=REPO_ROOT)
    wait_until_answering(f"http://127.0.0.1:{port}/health", server)
    return server


def test_server_down_then_back_then_a_notice_reaches_the_app_with_no_page_open(tmp_path):
    source, data = tmp_path / "content", tmp_path / "server"
    shutil.copytree(CONTENT_SOURCE_DIR, source)
    publish_content(data, source)
    port = free_port()  # nothing listens there yet: the server is down
    proxy = FaultProxy(port)
    app = App(tmp_path / "phone", f"http://127.0.0.1:{proxy.port}/repository", "--sync-interval", "2")
    server = None
    try:
        # Down: checks fail and back off; the app neither spins nor gives up.
        app.wait_for_log("next update check in", 1)
        cpu = psutil.Process(app.process.pid)
        cpu_before, wall_before = sum(cpu.cpu_times()[:2]), time.monotonic()
        app.wait_for_log("next update check in", 2)
        busy = (sum(cpu.cpu_times()[:2]) - cpu_before) / (time.monotonic() - wall_before)
        assert busy < 0.5, f"the app used {busy:.0%} of a core while the server was down"
        failed_checks = app.log_count("next update check in")
        # Each check tries a bounded number of times (AUTOMATIC_ATTEMPTS), then the owner waits.
        assert 0 < len(proxy.requests) <= (failed_checks + 1) * AUTOMATIC_ATTEMPTS, proxy.requests

        # Back: the app catches up by itself.
        server = _serve_repository(data, port)
        version = _server_version(f"http://127.0.0.1:{port}")
        app.wait_for_export(lambda e: e["bundle"]["version"] == version, CATCH_UP_S + 30)

        # A notice for Malaysia is published: within 30 s it is installed, no page open.
        write_notice(source, "selangor-flood")
        publish_content(data, source)
        published = time.monotonic()
        exported = app.wait_for_export(
            lambda e: any(n["id"] == "selangor-flood" for n in e["notices"]), CATCH_UP_S)
        assert time.monotonic() - published <= CATCH_UP_S
        (notice,) = [n for n in exported["notices"] if n["id"] == "selangor-flood"]
        assert notice["countries"] == ["MY"] and exported["bundle"]["version"] == _server_version(f"http://127.0.0.1:{port}")
    finally:
        app.stop()
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        proxy.close()


def test_automatic_checks_follow_the_data_use_setting(tmp_path, server):
    """Counted at the server: Wi-Fi only on mobile data, and "never", send nothing by themselves."""
    cases = {"wifi-only-on-mobile": ({"data_use": "wifi_only"}, "mobile"), "never-on-wifi": ({"data_use": "never"}, "wifi")}
    proxies = {name: FaultProxy(int(server.rsplit(":", 1)[1])) for name in cases}
    apps = {
        name: App(tmp_path / name, f"http://127.0.0.1:{proxies[name].port}/repository",
                  "--sync-interval", "1", "--network", network, settings=settings)
        for name, (settings, network) in cases.items()
    }
    try:
        for name, app in apps.items():
            app.wait_for_log("held back by the data-use setting", 3)
            assert proxies[name].requests == [], name
    finally:
        for app in apps.values():
            app.stop()
        for proxy in proxies.values():
            proxy.close()
