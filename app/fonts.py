"""Bundled fonts for every script the app shows, chosen by language.

Flutter fetches missing fonts from the internet and shows empty boxes offline, so every
script ships in assets/fonts (OFL Noto fonts from Debian's fonts-noto-core).
"""

from __future__ import annotations

LATIN = "NotoSans"
# Font family per script, and the file that holds it (relative to assets/).
FONT_FILES: dict[str, str] = {
    family: f"fonts/{family}-Regular.ttf"
    for family in (
        LATIN,
        "NotoSansDevanagari",
        "NotoSansBengali",
        "NotoSansSinhala",
        "NotoSansTamil",
        "NotoSansMyanmar",
        "NotoSansKhmer",
        "NotoSansThai",
        "NotoSansLao",
        "NotoNaskhArabic",
        "NotoNastaliqUrdu",
    )
}
# Languages whose script is not Latin. Latin-script languages (en, id, ms, fil, vi) use LATIN.
SCRIPT_FONT_BY_LANGUAGE: dict[str, str] = {
    "ne": "NotoSansDevanagari",
    "hi": "NotoSansDevanagari",
    "bn": "NotoSansBengali",
    "si": "NotoSansSinhala",
    "ta": "NotoSansTamil",
    "my": "NotoSansMyanmar",
    "km": "NotoSansKhmer",
    "th": "NotoSansThai",
    "lo": "NotoSansLao",
    "ar": "NotoNaskhArabic",
    "ur": "NotoNastaliqUrdu",
}

# Scripts whose marks stack far above and below the line: with Flutter's default line
# height, the lines of a paragraph overlap and one-line labels cut the marks off.
LINE_HEIGHT_BY_LANGUAGE: dict[str, float] = {"my": 1.7, "ur": 1.9, "km": 1.6}


def line_height_for(lang: str) -> float | None:
    """A line height (times the font size) for `lang`, or None for the font's own."""
    return LINE_HEIGHT_BY_LANGUAGE.get(lang)


def font_family_for(lang: str) -> str:
    return SCRIPT_FONT_BY_LANGUAGE.get(lang, LATIN)


def font_files_in_loading_order(lang: str) -> dict[str, str]:
    """Every bundled font, `lang`'s own script first and Latin next.

    Flet's web client fetches a page's fonts one after another in this order: on a slow
    link the first screen's script arrives first, not after a megabyte of other scripts
    (bench/bench_first_load.py).
    """
    first = list(dict.fromkeys([font_family_for(lang), LATIN]))
    return {family: FONT_FILES[family] for family in first + [f for f in FONT_FILES if f not in first]}


def fallback_families(lang: str) -> list[str]:
    """Every other bundled family, so mixed text (a Thai page with an English name) still renders."""
    primary = font_family_for(lang)
    return [family for family in FONT_FILES if family != primary]
