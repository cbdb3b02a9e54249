"""What a browser is sent where Flet's own web client would fail a person on a slow phone.

- The page (index.html) is titled Safe Journey and, while the engine downloads, says in
  the person's language that the app is opening: the saved language, else the browser's
  first language the app has, else English. Flet's page says nothing and is called "Flet".
- The engine shows its own English "Working..." while it connects, whatever the language:
  the words are blanked (the spinner stays), in both builds of the engine.
- Flutter loads every font in its manifest before the app starts, including maths (KaTeX)
  and iOS icon fonts the app never uses: about 430 kB on the wire for nothing.

Each patch looks for what Flet 1.0.5 sends; a test fails if a Flet upgrade moves it.
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Callable
from functools import cache
from pathlib import Path

from app.i18n import LANGUAGES, catalog, supported
from app.locale_data import is_rtl

log = logging.getLogger(__name__)


def N_(message: str) -> str:
    """Marks a message for the catalogs; it is translated per language below, not per session."""
    return message


APP_NAME = N_("Safe Journey")
OPENING = N_("Safe Journey is opening. This can take a while on a slow connection.")

# The engine's startup words, as compiled into each build (the wasm build keeps a string's
# length in front of it, so its words are blanked with as many spaces).
STARTUP_WORDS = {
    "main.dart.js": (b'"Working..."', b'""'),
    "main.dart.wasm": (b"\nWorking...", b"\n" + b" " * len(b"Working...")),
}
FONT_MANIFEST = "assets/FontManifest.json"
UNUSED_FONT_FAMILIES = ("packages/flutter_math_fork/", "packages/cupertino_icons/")

_LOADING_STYLE = (
    "<style>#loading{flex-direction:column;gap:24px}"
    "#loading-words{margin:0 24px;max-width:22em;text-align:center;font:18px/1.5 sans-serif;color:#1f1f1f}"
    "@media (prefers-color-scheme: dark){#loading-words{color:#f1f1f1}}</style>"
)


@cache  # the catalogs are read once per process (app.i18n.catalog), so these never change
def words_by_language() -> dict[str, dict[str, str]]:
    """The page's title and opening line in every app language."""
    return {
        lang: {"title": catalog(lang).gettext(APP_NAME), "opening": catalog(lang).gettext(OPENING)}
        for lang in LANGUAGES
    }


def _in_script(value) -> str:
    # JSON that no translated word can end the script with ("</script>", "<!--").
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


def _choose_language_script(saved: str | None) -> str:
    # Runs before the engine: picks the language, then writes the words and the direction.
    return (
        "<script>(function(){"
        f"var words={_in_script(words_by_language())};"
        f"var lang={json.dumps(saved)};"
        "if(!lang){var asked=navigator.languages||[navigator.language||'en'];"
        "for(var i=0;i<asked.length&&!lang;i++){var code=String(asked[i]).toLowerCase().split(/[-_]/)[0];"
        "if(code==='tl')code='fil';if(words[code])lang=code;}}"
        "lang=lang||'en';var chosen=words[lang];"
        "document.documentElement.lang=lang;"
        # The direction goes on the opening line only: on the page itself it moves Flutter's
        # accessibility nodes off the screen in Arabic and Urdu (the app mirrors itself).
        "var line=document.getElementById('loading-words');"
        f"line.dir={json.dumps([code for code in LANGUAGES if is_rtl(code)])}"
        ".indexOf(lang)>=0?'rtl':'ltr';"
        "document.title=chosen.title;"
        "line.textContent=chosen.opening;"
        "})();</script>"
    )


def patched_page(page: str, saved_language: str | None) -> str:
    """Flet's index.html with the app's name and the opening line in the person's language."""
    saved = supported(saved_language) if saved_language else None
    name = html.escape(catalog(saved or "en").gettext(APP_NAME))
    for flet_text, ours in (
        ("<title>Flet</title>", f"<title>{name}</title>"),
        ('content="Flet application."', f'content="{name}"'),
        ('name="apple-mobile-web-app-title" content="Flet"', f'name="apple-mobile-web-app-title" content="{name}"'),
        ('<img src="icons/loading-animation.png" alt="" />',
         '<img src="icons/loading-animation.png" alt="" />\n    <p id="loading-words"></p>'
         + _LOADING_STYLE + _choose_language_script(saved)),
    ):
        if flet_text not in page:
            log.warning("the web page has changed: %r not found", flet_text)
        page = page.replace(flet_text, ours, 1)
    return page


def without_startup_words(path: str, body: bytes) -> bytes:
    english, blank = STARTUP_WORDS[path]
    if english not in body:
        log.warning("%s has changed: its startup words were not found", path)
    return body.replace(english, blank, 1)


def without_unused_fonts(body: bytes) -> bytes:
    families = json.loads(body)
    return json.dumps([family for family in families
                       if not family["family"].startswith(UNUSED_FONT_FAMILIES)]).encode()


# In the ETag of every patched answer, so a copy of Flet's own file (or of the page in another
# language) never counts as current: raise it when a patch changes.
PATCH_TAG = "sj1"
# What would get part of Flet's file, or "not modified" by its date, instead of the patched whole.
_FILE_ONLY_HEADERS = (b"range", b"if-range", b"if-modified-since")


def is_page_address(path: str) -> bool:
    """Flet answers every address without a file extension (or ending .html) with its page."""
    return Path(path).suffix.lower() in ("", ".html")


def _asking_for_the_whole(headers: list, tag: str) -> list:
    # If-None-Match keeps only our ETags of this very patch (as Flet's file knows them).
    kept = []
    for key, value in headers:
        if key in _FILE_ONLY_HEADERS:
            continue
        if key == b"if-none-match":
            ours = [token.strip().removeprefix("W/") for token in value.decode("latin-1").split(",")]
            value = ", ".join(token[: -len(tag) - 2] + '"' for token in ours if token.endswith(f'-{tag}"')).encode()
            if not value:
                continue
        kept.append((key, value))
    return kept


def _tagged(headers: list, tag: str, *, page: bool) -> list:
    kept = []
    for key, value in headers:
        if key in (b"last-modified", b"accept-ranges", b"content-length"):
            continue
        if key == b"etag" and value.endswith(b'"'):
            value = value[:-1] + f'-{tag}"'.encode()
        kept.append((key, value))
    return kept + ([(b"cache-control", b"no-cache")] if page else [])


class PatchedClient:
    """ASGI middleware: serves the patched page, engine and font manifest (see the module).

    Patched answers are whole (no ranges), HEAD gives their length, and their ETag names the
    patch and, for the page, the language it speaks: a page cached in one language is sent
    again once another is chosen.
    """

    def __init__(self, app, saved_language: Callable[[], str | None]) -> None:
        self.app = app
        self.saved_language = saved_language

    def _patch_for(self, name: str) -> tuple[str, Callable[[bytes], bytes], bool] | None:
        """The ETag mark and the patch of what Flet sends for `name`, and whether it is the page;
        None if it is sent as it is."""
        if is_page_address(name):
            saved = self.saved_language()
            language = supported(saved) if isinstance(saved, str) and saved else None
            return (f"{PATCH_TAG}-{language or 'browser'}",
                    lambda body: patched_page(body.decode("utf-8"), language).encode("utf-8"), True)
        if name in STARTUP_WORDS:
            return PATCH_TAG, lambda body: without_startup_words(name, body), False
        if name == FONT_MANIFEST:
            return PATCH_TAG, without_unused_fonts, False
        return None

    async def __call__(self, scope, receive, send) -> None:
        found = None
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            found = self._patch_for(scope["path"].lstrip("/"))
        if found is None:
            await self.app(scope, receive, send)
            return
        tag, patch, page = found
        head = scope["method"] == "HEAD"
        held: dict = {}
        chunks: list[bytes] = []

        async def patching(message) -> None:
            if message["type"] == "http.response.start":
                if message["status"] not in (200, 304):
                    held["through"] = True
                    await send(message)
                    return
                length = dict(message.get("headers", [])).get(b"content-length")
                message["headers"] = _tagged(message.get("headers", []), tag, page=page)
                is_html = dict(message["headers"]).get(b"content-type", b"").startswith(b"text/html")
                if message["status"] == 200 and (is_html or not page):
                    held["start"] = message  # sent with the patched body's length
                    return
                held["through"] = True  # "not modified", or a file that is not the page
                if length is not None and message["status"] == 200:
                    message["headers"].append((b"content-length", length))
                await send(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
            elif held.get("through"):
                if not head:
                    await send(message)
                elif not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
            else:
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                body = patch(b"".join(chunks))
                held["start"]["headers"].append((b"content-length", str(len(body)).encode()))
                await send(held["start"])
                await send({"type": "http.response.body", "body": b"" if head else body, "more_body": False})

        whole = dict(scope, method="GET", headers=_asking_for_the_whole(scope["headers"], tag))
        await self.app(whole, receive, patching)


def saved_language_reader(home: Path) -> Callable[[], str | None]:
    """The language saved on this device, read without waiting for the app's data to open."""
    from app.emergency_fallback import saved_setting

    return lambda: saved_setting(home, "language")
