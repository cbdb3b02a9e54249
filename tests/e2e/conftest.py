"""Drive the real app, served by `python -m app serve`, in Debian's headless Chromium.

Recipe: docs/DESIGN.md "Testing the real UI in a real browser". Flutter draws on a canvas;
tests read its accessibility tree (`flt-semantics`), which is switched on per page.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from sync_server.local_process import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "artifacts" / "screenshots"
FAILURES = REPO_ROOT / "artifacts" / "e2e-failures"  # what each page showed when a test failed
CHROMIUM = os.environ.get("SAFE_JOURNEY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 390, "height": 844}
START_TIMEOUT_S = 90
UI_TIMEOUT_MS = 30_000


# What a person who has answered the first-launch questions has chosen (the shared app's user).
ONBOARDED = {"onboarded": True, "language": "en", "role": "planning", "country": "MY", "origin": "NP"}


def app_env(home: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SAFE_JOURNEY_SERVER"}
    return env | (extra or {}) | {
        "SAFE_JOURNEY_HOME": str(home),
        "FLET_SERVER_IP": "127.0.0.1",
        "FLET_WEB_NO_CDN": "1",
        "FLET_FORCE_WEB_SERVER": "1",
        "PYTHONUNBUFFERED": "1",
    }


def seed_settings(home: Path, settings: dict) -> None:
    """Save settings in the user database of `home` before the app starts."""
    from app.runtime import Runtime

    runtime = Runtime.open(home)
    try:
        for key, value in settings.items():
            runtime.user.set_setting(key, value)
    finally:
        runtime.close()


def start_app(home: Path, port: int, log_path: Path, extra_env: dict[str, str] | None = None,
              args: tuple[str, ...] = ()) -> subprocess.Popen:
    """Start `python -m app serve [args]` from the repo root; its output goes to log_path."""
    log = open(log_path, "ab")
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--port", str(port), *args],
            cwd=REPO_ROOT, env=app_env(home, extra_env), stdout=log, stderr=subprocess.STDOUT,
        )
    finally:
        log.close()  # the child holds its own copy


def wait_until_up(url: str, process: subprocess.Popen, timeout_s: float = START_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"app exited with code {process.returncode} before serving")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"app did not answer 200 at {url} within {timeout_s} s")


def serve_app(home: Path, log_path: Path, extra_env: dict[str, str] | None = None,
              args: tuple[str, ...] = ()) -> tuple[str, subprocess.Popen]:
    """Start the app on a free port and wait for it; a failed start fails the test with the app's log."""
    port = free_port()
    process = start_app(home, port, log_path, extra_env, args)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url, process)
    except RuntimeError as error:
        stop_app(process)
        pytest.fail(f"{error}\n--- app log ---\n{log_path.read_text(errors='replace')}")
    return url, process


def stop_app(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def app_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("safe-journey-home")


@pytest.fixture(scope="session")
def app_url(app_home, tmp_path_factory):
    """The app served on a free loopback port, with a fresh data dir and the first-launch
    questions answered (ONBOARDED)."""
    seed_settings(app_home, ONBOARDED)
    url, process = serve_app(app_home, tmp_path_factory.mktemp("logs") / "app.log")
    yield url
    stop_app(process)


class LaunchedApp:
    """One app server of a test's own (own data dir): stop and start it again at will."""

    def __init__(self, home: Path, log_path: Path, extra_env: dict[str, str] | None = None, args: tuple[str, ...] = ()):
        self.home, self.log_path, self.extra_env, self.args = home, log_path, extra_env, tuple(args)
        self.process: subprocess.Popen | None = None
        self.url = ""

    def start(self) -> str:
        self.url, self.process = serve_app(self.home, self.log_path, self.extra_env, self.args)
        return self.url

    def stop(self) -> None:
        if self.process is not None:
            stop_app(self.process)
            self.process = None



def publish_content(data: Path, source: Path) -> None:
    """Sign the content folder `source` into the repository kept in `data`, with the real publisher."""
    subprocess.run([sys.executable, "-m", "sync_server", "publish", "--data", str(data), "--source", str(source)],
                   cwd=REPO_ROOT, check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})


def publish_edited_content(workdir: Path, edit) -> Path:
    """The repository folder (in `workdir`) published from a copy of the content as `edit(copy)` leaves it."""
    from app.storage.paths import CONTENT_SOURCE_DIR

    source, data = workdir / "edited-content", workdir / "edited-server"
    shutil.copytree(CONTENT_SOURCE_DIR, source)
    edit(source)
    publish_content(data, source)
    return data


def install_edited_content(app: "LaunchedApp", workdir: Path, edit) -> None:
    """Stop `app`, install an update made from the content as `edit(source_dir)` leaves it (published
    by the real server, fetched by `python -m app sync`), and start `app` again. For what today's
    content no longer holds, such as a page or a note that is not translated yet."""
    from sync_server.local_process import running_sync_server

    data = publish_edited_content(workdir, edit)
    app.stop()
    with running_sync_server(data) as base:
        subprocess.run([sys.executable, "-m", "app", "sync"], cwd=REPO_ROOT, check=True, capture_output=True,
                       env=app_env(app.home, {"SAFE_JOURNEY_SERVER": f"{base}/repository"}))
    app.start()


@pytest.fixture
def launch_app(tmp_path):
    """launch_app(settings=None, env=None, args=()) starts an app (`python -m app serve ARGS`) with its
    own data dir (seeded with `settings`); it is stopped at the end of the test."""
    launched: list[LaunchedApp] = []

    def launch(settings: dict | None = None, env: dict[str, str] | None = None, args: tuple[str, ...] = ()) -> LaunchedApp:
        home = tmp_path / f"home-{len(launched)}"
        home.mkdir()
        # The data folder is made before the app starts, even with no settings: a test that opens
        # it while the app is still making it would find half a database and move it aside.
        seed_settings(home, settings or {})
        app = LaunchedApp(home, tmp_path / f"app-{len(launched)}.log", env, args)
        launched.append(app)
        app.start()
        return app

    yield launch
    for app in launched:
        app.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        item.e2e_failed = True  # the page fixtures save what the pages showed
    return report


def _save_failed_pages(request, contexts) -> None:
    """Screenshot and accessibility tree of every page of a failed test, for flaky failures."""
    if not getattr(request.node, "e2e_failed", False):
        return
    FAILURES.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
    for i, page in enumerate(p for context in contexts for p in context.pages):
        try:
            (FAILURES / f"{name}-{i}.console.txt").write_text("\n".join(getattr(page, "console_lines", [])))
            page.screenshot(path=str(FAILURES / f"{name}-{i}.png"), timeout=5_000)
            tree = page.evaluate("document.querySelector('flt-semantics-host')?.outerHTML ?? 'no semantics host'")
            (FAILURES / f"{name}-{i}.html").write_text(f"<!-- {page.url} -->\n{tree}")
        except Exception as error:  # a page that is gone: note it and go on
            (FAILURES / f"{name}-{i}.txt").write_text(f"{page.url}: {error}")


@pytest.fixture
def open_url(browser, request):
    """open_url(url) opens a phone-sized page at url (any app server)."""
    contexts = []

    def open_at(url: str):
        context = browser.new_context(viewport=PHONE, device_scale_factor=1)
        context.set_default_timeout(UI_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        open_app(page, url)
        return page

    yield open_at
    _save_failed_pages(request, contexts)
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def runtime(app_url, app_home):
    """The same installed content the app serves (a content reader), to know what the screens should show."""
    from app.runtime import Runtime

    rt = Runtime.open(app_home)
    with rt.reading() as content:
        yield content
    rt.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail(f"no Chromium at {CHROMIUM}: `make test` installs it (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=UI_TIMEOUT_MS)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_app(page, url: str) -> None:
    """Load the app at url and switch on Flutter's accessibility tree."""
    if not hasattr(page, "console_lines"):  # kept for the failure report
        page.console_lines = []
        page.on("console", lambda message: page.console_lines.append(f"{message.type}: {message.text}"))
        page.on("requestfailed", lambda request: page.console_lines.append(f"failed: {request.url} {request.failure}"))
    for attempt in range(2):
        page.goto(url)
        page.wait_for_selector("#loading", state="detached", timeout=UI_TIMEOUT_MS * 2)
        try:
            _switch_on_semantics(page)
            return
        except Exception as error:
            if attempt:
                raise
            # Seen about once in a hundred loads on a busy machine: the engine never offers its
            # accessibility switch. Say so in the log, with what the page printed, and load again.
            print(f"e2e: no accessibility tree at {url} ({error}); loading again", file=sys.stderr)
            print("\n".join(page.console_lines[-20:]), file=sys.stderr)


def _switch_on_semantics(page) -> None:
    page.wait_for_function(
        "() => document.querySelector('flt-semantics-placeholder, flt-semantics')", timeout=UI_TIMEOUT_MS
    )
    page.evaluate("() => document.querySelector('flt-semantics-placeholder')?.click()")
    page.wait_for_selector("flt-semantics", state="attached", timeout=UI_TIMEOUT_MS)


# Boxes of every node of Flutter's accessibility tree (and of the spacers Flutter puts in a
# region that scrolls, as wide as its content) that reach past the left or right edge.
_OUTSIDE_JS = """() => [...document.querySelectorAll('flt-semantics-host *')].flatMap(e => {
    const r = e.getBoundingClientRect();
    const name = e.getAttribute('flt-semantics-identifier') || e.getAttribute('aria-label') || e.tagName.toLowerCase();
    return r.width > 0 && (r.left < -1 || r.right > window.innerWidth + 1)
        ? [`${name}: ${Math.round(r.left)}..${Math.round(r.right)} px`] : [];
})"""


def assert_no_sideways_scroll(page) -> None:
    """Nothing on screen is wider than the screen, nor scrolls sideways.

    `document.scrollWidth` cannot tell: Flutter draws on a canvas exactly as wide as the
    window. Its accessibility tree can: a row that scrolls sideways holds a spacer as wide
    as its content. (Content cut off by a row that overflows is clipped by Flutter, boxes
    included, so screens check their key controls are visible as well.)
    """
    outside = page.evaluate(_OUTSIDE_JS)
    assert outside == [], f"wider than the {page.viewport_size['width']} px screen: {outside}"


@pytest.fixture
def open_page(browser, app_url, request):
    """open_page(path) opens a phone-sized page at app_url + path; each page is its own session."""
    contexts = []

    def open_at(path: str = ""):
        context = browser.new_context(viewport=PHONE, device_scale_factor=1)
        context.set_default_timeout(UI_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        open_app(page, app_url + path.lstrip("/"))
        return page

    yield open_at
    _save_failed_pages(request, contexts)
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page):
    """A phone-sized page showing the app's home screen."""
    return open_page()


@pytest.fixture
def shoot():
    """shoot(page, name) saves artifacts/screenshots/<name>.png once the screen has settled."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str) -> Path:
        page.wait_for_timeout(500)  # let transitions and fonts settle
        path = SCREENSHOTS / f"{name}.png"
        screenshot(page, path)
        return path

    return save


def screenshot(page, path: Path, **options) -> None:
    """page.screenshot, once more after waking the compositor if the first try stalls.

    Headless Chromium sometimes stops producing frames for a still page; the capture then waits
    for a frame that never comes (seen once in 6,000 tests). A short screencast makes it draw.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.screenshot(path=str(path), timeout=15_000, **options)
        return
    except PlaywrightTimeout:
        cdp = page.context.new_cdp_session(page)
        cdp.send("Page.startScreencast", {"format": "jpeg", "quality": 10, "maxWidth": 64, "maxHeight": 64})
        page.wait_for_timeout(250)
        cdp.send("Page.stopScreencast")
        cdp.detach()
    page.screenshot(path=str(path), timeout=30_000, **options)


def tap_until_shown(tap, shown, tries: int = 3) -> None:
    """Tap `tap` until `shown` appears. A tap that lands while the page is being redrawn
    (a new language's font or direction arriving) can meet nothing; a person taps again."""
    from playwright.sync_api import expect

    for _ in range(tries - 1):
        tap.click()
        try:
            expect(shown).to_be_visible(timeout=10_000)
            return
        except AssertionError:
            if not tap.is_visible():
                break
    else:
        tap.click()
    expect(shown).to_be_visible()
