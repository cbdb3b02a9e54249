"""The web client reaches a slow phone compressed: its script and engine, gzipped on the wire."""

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
