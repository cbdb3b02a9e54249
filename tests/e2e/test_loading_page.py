"""While the engine downloads on a slow phone, the page speaks the person's language; the engine
says no English "Working..."; and no font the app never uses is fetched first."""

import json
from pathlib import Path

import httpx
import pytest
from flet_web import get_package_web_dir

from app.i18n import catalog
from app.web_client import APP_NAME, OPENING, STARTUP_WORDS, patched_page
from tests.e2e.conftest import PHONE

FLET_WEB = Path(get_package_web_dir())


def _served(app_url: str, path: str) -> httpx.Response:
    response = httpx.get(app_url.rstrip("/") + "/" + path)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("path", ["", "what-if/articles/passport-taken"])
def test_every_page_address_is_the_app_s_own_page(app_url, path):
    page = _served(app_url, path).text
    assert "<title>Safe Journey</title>" in page and "Flet" not in page.split("<script")[0]
    assert 'id="loading-words"' in page
    assert catalog("my").gettext(OPENING) in page  # every language's words travel with the page


@pytest.mark.parametrize("engine", ["main.dart.js", "main.dart.wasm"])
def test_the_engine_says_no_english_while_it_connects(app_url, engine):
    served = _served(app_url, engine).content
    original = (FLET_WEB / engine).read_bytes()
    assert b"Working..." in original  # what Flet 1.0.5 sends; a Flet upgrade that moves it fails here
    assert b"Working..." not in served
    english, blank = STARTUP_WORDS[engine]
    assert served == original.replace(english, blank)  # nothing else touched (the wasm build: no length changed)


def test_fonts_the_app_never_uses_are_not_in_the_manifest(app_url):
    families = [family["family"] for family in json.loads(_served(app_url, "assets/FontManifest.json").content)]
    assert "MaterialIcons" in families
    assert not [family for family in families if "KaTeX" in family or "Cupertino" in family], families


def _loading_page(browser, app_url: str, locale: str, saved: str | None):
    """The page as served for `saved`, in a browser set to `locale`, held at the loading screen."""
    flet_page = (FLET_WEB / "index.html").read_text(encoding="utf-8")
    context = browser.new_context(viewport=PHONE, locale=locale)
    page = context.new_page()
    page.route("**/flutter_bootstrap.js", lambda route: route.abort())  # the engine never starts
    page.route(app_url, lambda route: route.fulfill(body=patched_page(flet_page, saved),
                                                    content_type="text/html"))
    page.goto(app_url)
    return context, page




@pytest.mark.parametrize(("locale", "saved", "expected", "direction"), [
    ("my-MM", None, "my", "ltr"),    # no language chosen yet: the browser's
    ("id", None, "id", "ltr"),
    ("de-DE", None, "en", "ltr"),    # a language the app does not have: English
    ("my-MM", "ur", "ur", "rtl"),    # the language chosen in the app wins
    ("en-US", "ne", "ne", "ltr"),
])
def test_the_loading_page_speaks_the_person_s_language(browser, app_url, shoot, locale, saved, expected, direction):
    context, page = _loading_page(browser, app_url, locale, saved)
    try:
        words = page.locator("#loading-words")
        assert words.text_content() == catalog(expected).gettext(OPENING)
        assert page.title() == catalog(expected).gettext(APP_NAME)
        # The direction is the line's own: on the page it would move Flutter's accessibility nodes.
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [expected, ""]
        assert words.get_attribute("dir") == direction
        box = words.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        shoot(page, f"loading-{expected}-{locale}")
    finally:
        context.close()
