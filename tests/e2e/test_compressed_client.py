"""The web client on a slow phone: its script and engine gzipped on the wire, and nothing
fetched from any other host."""

import httpx
import pytest


@pytest.mark.parametrize("path", ["main.dart.js", "canvaskit/canvaskit.wasm", ""])
def test_the_client_is_sent_gzipped_to_a_browser_that_accepts_it(app_url, path):
    url = app_url.rstrip("/") + "/" + path
    plain = httpx.get(url, headers={"Accept-Encoding": "identity"})
    packed = httpx.get(url, headers={"Accept-Encoding": "gzip"})
    assert plain.status_code == packed.status_code == 200
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    wire = packed.num_bytes_downloaded
    assert wire < 0.6 * len(plain.content)
    assert packed.content == plain.content  # the same bytes once unpacked
    again = httpx.get(url, headers={"Accept-Encoding": "gzip"})  # kept from the first time, unless the page
    assert again.headers["content-encoding"] == "gzip" and again.content == plain.content
    assert "default-src 'self'" in again.headers["content-security-policy"]


def _elsewhere(url: str, app_url: str) -> bool:
    return not url.startswith((app_url, "blob:", "data:"))


def test_the_app_loads_nothing_from_another_host(browser, app_url):
    """Flutter's engine asks a public CDN for an animation library the app never uses: the
    page's security policy stops it before it leaves the phone (a request that did leave
    would end in a network error offline, or succeed online; both fail this test)."""
    from tests.e2e.conftest import PHONE, open_app
    from tests.e2e.test_shell import by_id

    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        elsewhere = []
        page.on("requestfinished", lambda r: elsewhere.append((r.url, "sent")) if _elsewhere(r.url, app_url) else None)
        page.on("requestfailed", lambda r: elsewhere.append((r.url, r.failure)) if _elsewhere(r.url, app_url) else None)
        open_app(page, app_url)
        by_id(page, "home-call-emergency").first.wait_for()
        page.wait_for_timeout(1000)  # the engine's late requests
        assert elsewhere and all(outcome == "csp" for _, outcome in elsewhere), elsewhere
    finally:
        context.close()
