"""The first load of the web client on a slow phone: bytes and seconds to the first usable screen.

Chromium's own throttling (DevTools protocol) stands in for the phone: a 1.6 Mbit/s link with
150 ms latency, and a CPU four times slower. Measured in the same run, alternating:
  - the app as `python -m app serve` serves it (compressed),
  - the same app served the way Flet serves it by default (`ft.run`, nothing compressed):
    what the app did before, and what it would do without its own serving,
  - a bare Flet app served the default way: the floor any Flet web client pays.
For each: bytes on the wire until the first screen (the app's emergency Call button, or the
bare app's text), seconds from opening the address, and for the app when the reader's own
script has arrived (the reader reads Urdu: its font was the last of eleven the client fetched,
so the first screen showed empty boxes for seconds). Not a test: it only prints figures.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))

from playwright.sync_api import sync_playwright  # noqa: E402

from bench.bench_startup import APP_READY, BARE_APP, BARE_READY, _first_200, _prepared_home  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, app_env, free_port, seed_settings, stop_app  # noqa: E402

RUNS = 2
LINK = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
CPU_SLOWDOWN = 4
SCREEN_TIMEOUT_MS = 300_000
def _plain_app_script() -> str:
    return textwrap.dedent("""
        import sys
        import flet as ft
        from app.storage.paths import data_home
        from app.starting import StartingRuntime
        from app.ui import ASSETS_DIR, build_main, update_owner

        runtime = StartingRuntime(data_home())
        updates = update_owner(runtime.get, interval=None, network="wifi")
        ft.run(build_main(runtime, updates=updates), host="127.0.0.1", port=int(sys.argv[1]),
               view=ft.AppView.WEB_BROWSER, no_cdn=True, assets_dir=str(ASSETS_DIR))
    """)


READER_LANGUAGE = "ur"
READER_FONT = "fonts/NotoNastaliqUrdu-Regular.ttf"


def _load(browser, url: str, ready: str) -> tuple[int, float, float | None]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", LINK)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        wire = []
        cdp.on("Network.loadingFinished", lambda event: wire.append(event["encodedDataLength"]))
        font_arrived: list[float] = []
        page.on("requestfinished", lambda request: font_arrived.append(time.perf_counter())
                if request.url.endswith(READER_FONT) else None)
        started = time.perf_counter()
        page.goto(url, timeout=SCREEN_TIMEOUT_MS)
        page.wait_for_selector("#loading", state="detached", timeout=SCREEN_TIMEOUT_MS)
        page.locator("flt-semantics-placeholder").evaluate("e => e.click()")
        page.wait_for_selector(ready, state="attached", timeout=SCREEN_TIMEOUT_MS)
        screen, screen_bytes = time.perf_counter() - started, sum(wire)
        if ready == APP_READY:
            deadline = time.perf_counter() + SCREEN_TIMEOUT_MS / 1000
            while not font_arrived and time.perf_counter() < deadline:
                page.wait_for_timeout(100)
        return screen_bytes, screen, (font_arrived[0] - started) if font_arrived else None
    finally:
        context.close()


def _measure(browser, command: list[str], cwd: Path, env: dict[str, str], port: int,
             ready: str) -> tuple[int, float, float | None]:
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/"
        _first_200(url, process, time.perf_counter())
        return _load(browser, url, ready)
    finally:
        stop_app(process)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    home = _prepared_home(HERE)
    seed_settings(home, {"language": READER_LANGUAGE})
    scripts = Path(tempfile.mkdtemp(prefix="bench-first-load-"))
    (scripts / "bare.py").write_text(BARE_APP)
    (scripts / "plain_app.py").write_text(_plain_app_script())
    env = app_env(home) | {"PYTHONPATH": str(HERE)}
    variants = {
        "app, compressed (python -m app serve)": ([sys.executable, "-m", "app", "serve", "--port"], HERE, APP_READY),
        "app, as Flet serves it (before)": ([sys.executable, str(scripts / "plain_app.py")], HERE, APP_READY),
        "bare Flet app (floor)": ([sys.executable, str(scripts / "bare.py")], scripts, BARE_READY),
    }
    results: dict[str, list[tuple[int, float, float | None]]] = {name: [] for name in variants}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for _ in range(args.runs):
            for name, (command, cwd, ready) in variants.items():
                port = free_port()
                results[name].append(_measure(browser, [*command, str(port)], cwd, env, port, ready))
        browser.close()
    print(f"first load at {LINK['downloadThroughput'] * 8 / 1e6:.1f} Mbit/s, {LINK['latency']} ms, "
          f"CPU {CPU_SLOWDOWN}x slower (median of {args.runs}):")
    for name, runs in results.items():
        fonts = [r[2] for r in runs if r[2] is not None]
        font = f", the Urdu font after {statistics.median(fonts):.0f} s" if fonts else ""
        print(f"  {name}: {statistics.median(r[0] for r in runs) / 1e6:.1f} MB on the wire, "
              f"first usable screen after {statistics.median(r[1] for r in runs):.0f} s{font}")


if __name__ == "__main__":
    main()
