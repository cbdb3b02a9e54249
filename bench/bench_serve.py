"""Start-up time and memory of the served web app (`python -m app serve`).

1. Five cold starts, each with a fresh data dir (so the embedded bundle is installed):
   time from process start to the first HTTP 200. Prints median and max.
2. One server, five browser sessions (five pages in headless Chromium, each waiting for
   the home screen's topics): prints the server's resident memory (with children) in MB.
Not a test: it only prints figures.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.conftest import (  # noqa: E402  (the UI test recipe: one copy of it)
    CHROMIUM,
    CHROMIUM_ARGS,
    ONBOARDED,
    PHONE,
    free_port,
    open_app,
    seed_settings,
    start_app,
    stop_app,
    wait_until_up,
)

STARTS = 5
SESSIONS = 5
TOPIC = '[flt-semantics-identifier^="topic-"]'


def rss_mb(pid: int) -> float:
    process = psutil.Process(pid)
    total = process.memory_info().rss
    for child in process.children(recursive=True):
        try:
            total += child.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total / 2**20


def cold_start(workdir: Path, run: int, *, onboarded: bool = False) -> tuple[float, object, str]:
    """Start a server with a fresh data dir; seconds until it answers 200, the process, its URL."""
    home = workdir / f"home-{run}"
    if onboarded:  # past the first-launch questions, so sessions open on the home screen
        home.mkdir()
        seed_settings(home, ONBOARDED)
    port = free_port()
    started = time.perf_counter()
    process = start_app(home, port, workdir / f"app-{run}.log")
    url = f"http://127.0.0.1:{port}/"
    wait_until_up(url, process, timeout_s=120)
    return time.perf_counter() - started, process, url


def browser_sessions(url: str, pid: int) -> None:
    print(f"server RSS before any session: {rss_mb(pid):.0f} MB")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        pages = []
        for n in range(1, SESSIONS + 1):
            page = browser.new_context(viewport=PHONE).new_page()
            started = time.perf_counter()
            open_app(page, url)
            page.wait_for_selector(TOPIC, timeout=60_000)
            pages.append(page)
            print(f"session {n}: topics visible after {time.perf_counter() - started:.2f} s; "
                  f"server RSS {rss_mb(pid):.0f} MB")
        time.sleep(1)
        print(f"server RSS with {SESSIONS} sessions open: {rss_mb(pid):.0f} MB")
        browser.close()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        workdir = Path(tmp)
        times = []
        for run in range(STARTS):
            seconds, process, _ = cold_start(workdir, run)
            stop_app(process)
            times.append(seconds)
            print(f"start {run + 1}: first HTTP 200 after {seconds:.2f} s")
        print(f"start to first HTTP 200 over {STARTS} fresh starts: "
              f"median {statistics.median(times):.2f} s, max {max(times):.2f} s")

        _, process, url = cold_start(workdir, STARTS, onboarded=True)
        try:
            browser_sessions(url, process.pid)
        finally:
            stop_app(process)


if __name__ == "__main__":
    main()
