"""A second launch of the app against a bare Flet app, started the same way in the same run.

For each, alternating, RUNS times: the time from process start to
  1. the first HTTP 200 on its address, and
  2. the first screen in headless Chromium (the page is opened as soon as the server
     answers; done when the app's emergency Call button, or the bare app's text, is there).
Prints medians and the ratio app / bare Flet (goal: ≤ 1.5× for HTTP 200).
`--repo PATH` measures another checkout (e.g. an older commit) with this Python.
Not a test: it only prints figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, ONBOARDED, PHONE, app_env, free_port, stop_app  # noqa: E402

RUNS = 7
BARE_APP = textwrap.dedent("""
    import sys
    import flet as ft

    def main(page: ft.Page) -> None:
        page.add(ft.Semantics(identifier="bare-ready", content=ft.Text("Hello")))

    ft.run(main, host="127.0.0.1", port=int(sys.argv[1]), view=ft.AppView.WEB_BROWSER, no_cdn=True)
""")
APP_READY = '[flt-semantics-identifier="home-call-emergency"]'
BARE_READY = '[flt-semantics-identifier="bare-ready"]'


def _first_200(url: str, process: subprocess.Popen, started: float) -> float:
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.perf_counter() - started
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.01)


def _first_screen(browser, url: str, ready: str, started: float) -> float:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("#loading", state="detached", timeout=60_000)
        page.locator("flt-semantics-placeholder").evaluate("e => e.click()")
        page.wait_for_selector(ready, state="attached", timeout=60_000)
        return time.perf_counter() - started
    finally:
        context.close()


def _measure(browser, command: list[str], cwd: Path, env: dict[str, str], port: int, ready: str) -> tuple[float, float]:
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/"
        http = _first_200(url, process, started)
        screen = _first_screen(browser, url, ready, started)
        return http, screen
    finally:
        stop_app(process)


def _prepared_home(repo: Path) -> Path:
    """A data dir after a first launch: content installed, first-launch questions answered."""
    home = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    script = ("import sys\nfrom pathlib import Path\nfrom app.runtime import Runtime\n"
              "rt = Runtime.open(Path(sys.argv[1]))\n"
              f"user = getattr(rt, 'user', rt)\n"
              f"for k, v in {ONBOARDED!r}.items(): user.set_setting(k, v)\nrt.close()\n")
    subprocess.run([sys.executable, "-c", script, str(home)], cwd=repo, check=True,
                   env={**os.environ, "PYTHONPATH": str(repo)})
    return home


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repo", type=Path, default=HERE, help="checkout of the app to measure")
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    repo = args.repo.resolve()
    home = _prepared_home(repo)
    bare_script = Path(tempfile.mkdtemp(prefix="bench-bare-")) / "bare.py"
    bare_script.write_text(BARE_APP)
    app_times, bare_times = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for _ in range(args.runs):
            port = free_port()
            env = app_env(home) | {"PYTHONPATH": str(repo)}
            app_times.append(_measure(browser, [sys.executable, "-m", "app", "serve", "--port", str(port)],
                                      repo, env, port, APP_READY))
            port = free_port()
            bare_times.append(_measure(browser, [sys.executable, str(bare_script), str(port)],
                                       bare_script.parent, env, port, BARE_READY))
        browser.close()
    for label, index in (("first HTTP 200", 0), ("first screen in Chromium", 1)):
        app = statistics.median(t[index] for t in app_times)
        bare = statistics.median(t[index] for t in bare_times)
        print(f"{label}: app {app:.2f} s, bare Flet {bare:.2f} s, ratio {app / bare:.2f}x "
              f"(median of {args.runs}; app max {max(t[index] for t in app_times):.2f} s)")


if __name__ == "__main__":
    main()
