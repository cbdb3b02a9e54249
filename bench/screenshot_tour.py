"""Screenshots of the main screens in several languages, to look at (not a test).

`make screenshots` runs it: for each language, a person abroad in Malaysia (from the country
where the language is spoken) opens home, a first-aid page, contacts, "Where to get help in
Malaysia", the passport guide (its top and its end), search and settings, at phone width.
The files go to artifacts/tour/<lang>-<screen>.png.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.conftest import (  # noqa: E402
    CHROMIUM, CHROMIUM_ARGS, ONBOARDED, PHONE, open_app, seed_settings, serve_app, stop_app,
)

OUT = HERE / "artifacts" / "tour"
ORIGIN_BY_LANGUAGE = {"en": "PH", "ne": "NP", "my": "MM", "ur": "PK", "id": "ID", "bn": "BD", "km": "KH"}
SCREENS = {
    "home": "",
    "first-aid-burns": "first-aid/articles/first-aid-burns",
    "contacts": "contacts",
    "help-in-my": "articles/help-in-my",
    "passport-taken": "articles/passport-taken",
    "search": "search",
    "settings": "settings",
}


def _shoot(page, url: str, path: str, name: str, *, to_the_end: bool) -> None:
    open_app(page, url + path)
    page.wait_for_load_state("networkidle")  # the fonts, fetched after the first frame
    page.wait_for_timeout(1000)  # and drawn
    page.screenshot(path=str(OUT / f"{name}.png"))
    if to_the_end:
        page.mouse.move(PHONE["width"] / 2, PHONE["height"] / 2)
        for _ in range(30):
            page.mouse.wheel(0, 400)
            page.wait_for_timeout(50)
        page.wait_for_timeout(800)
        page.screenshot(path=str(OUT / f"{name}-end.png"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--languages", default="en,ne,my,ur,id")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for lang in args.languages.split(","):
            home = Path(tempfile.mkdtemp(prefix=f"tour-{lang}-"))
            seed_settings(home, {**ONBOARDED, "language": lang, "role": "abroad", "country": "MY",
                                 "origin": ORIGIN_BY_LANGUAGE.get(lang, "NP")})
            url, process = serve_app(home, home / "app.log")
            try:
                context = browser.new_context(viewport=PHONE, device_scale_factor=1)
                page = context.new_page()
                for screen, path in SCREENS.items():
                    _shoot(page, url, path, f"{lang}-{screen}", to_the_end=path.startswith(("articles", "first-aid/")))
                context.close()
            finally:
                stop_app(process)
        browser.close()
    print(f"screenshots in {OUT.relative_to(HERE)}")


if __name__ == "__main__":
    main()
