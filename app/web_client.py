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


def words_by_language() -> dict[str, dict[str, str]]:
    """The page's title and opening line in every app language."""
    return {
        lang: {"title": catalog(lang).gettext(APP_NAME), "opening": catalog(lang).gettext(OPENING)}
        for lang in LANGUAGES
    }


def _choose_language_script(saved: str | None) -> str:
    # Runs before the engine: picks the language, then writes the words and the direction.
    return (
        "<script>(function(){"
        f"var words={json.dumps(words_by_language(), ensure_ascii=False)};"
        f"var lang={json.dumps(saved)};"
        "if(!lang){var asked=navigator.languages||[navigator.language||'en'];"
        "for(var i=0;i<asked.length&&!lang;i++){var code=String(asked[i]).toLowerCase().split(/[-_]/)[0];"
        "if(code==='tl')code='fil';if(words[code])lang=code;}}"
        "lang=lang||'en';var chosen=words[lang];"
        "document.documentElement.lang=lang;"
        f"document.documentElement.dir={json.dumps([code for code in LANGUAGES if is_rtl(code)])}"
        ".indexOf(lang)>=0?'rtl':'ltr';"
        "document.title=chosen.title;"
        "document.getElementById('loading-words').textContent=chosen.opening;"
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


class PatchedClient:
    """ASGI middleware: serves the patched page, engine and font manifest (see the module)."""

    def __init__(self, app, saved_language: Callable[[], str | None]) -> None:
        self.app = app
        self.saved_language = saved_language

    def _patch_for(self, path: str, content_type: str) -> Callable[[bytes], bytes] | None:
        name = path.lstrip("/")
        if name in STARTUP_WORDS:
            return lambda body: without_startup_words(name, body)
        if name == FONT_MANIFEST:
            return without_unused_fonts
        if content_type.startswith("text/html"):
            return lambda body: patched_page(body.decode("utf-8"), self.saved_language()).encode("utf-8")
        return None

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        held: dict = {}
        chunks: list[bytes] = []

        async def patching(message) -> None:
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                patch = self._patch_for(scope["path"], headers.get(b"content-type", b"").decode("latin-1"))
                if message["status"] != 200 or patch is None:
                    held["through"] = True
                    await send(message)
                    return
                held.update(start=message, patch=patch)
                return
            if held.get("through") or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = held["patch"](b"".join(chunks))
            start = held["start"]
            start["headers"] = [(key, value) for key, value in start.get("headers", []) if key != b"content-length"]
            start["headers"].append((b"content-length", str(len(body)).encode()))
            await send(start)
            await send({"type": "http.response.body", "body": body, "more_body": False})

        await self.app(scope, receive, patching)


def saved_language_reader(home: Path) -> Callable[[], str | None]:
    """The language saved on this device, read without waiting for the app's data to open."""
    from app.emergency_fallback import saved_setting

    return lambda: saved_setting(home, "language")
