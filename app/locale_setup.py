"""Put a Flet page into a language: fonts, text direction, Flutter locale and `_()`.

`apply_locale(page, lang)` is called once when a session starts and again whenever the
person picks another language; everything it sets takes effect on the next render, with
no restart.

Fonts: Flutter draws every glyph itself. A glyph missing from the fonts it was given is
fetched from the internet (fonts.gstatic.com) — offline it shows an empty box. So every
bundled family is registered, the language's own script comes first, and all the other
families follow as `font_family_fallback`, so a Burmese page showing "Red Cross", or the
language picker showing every language in its own script, renders with no network.
Flet's `Theme` has `font_family` but no fallback list; `TextStyle` has one, so the
fallbacks go on every style of the theme's `text_theme`.
"""

from __future__ import annotations

import dataclasses

import flet as ft

from app.fonts import FONT_FILES, fallback_families, font_family_for, font_files_in_loading_order, line_height_for
from app.i18n import LANGUAGES, set_language, supported
from app.locale_data import is_rtl

# Every style of Material 3's type scale; the button, list tile, app bar and text field
# styles all come from these.
TEXT_STYLE_NAMES = tuple(
    f"{role}_{size}"
    for role in ("display", "headline", "title", "body", "label")
    for size in ("large", "medium", "small")
)


def text_theme(lang: str, color: str = ft.Colors.ON_SURFACE) -> ft.TextTheme:
    """A text theme that writes `lang`'s script first and falls back to every other bundled font.

    Flet replaces (not merges) each Flutter style it is given, so the colour is set too;
    sizes and weights still come from Material's type scale for the locale's script.
    """
    style = ft.TextStyle(font_family=font_family_for(lang), font_family_fallback=fallback_families(lang), color=color,
                         height=line_height_for(lang))
    return ft.TextTheme(**{name: style for name in TEXT_STYLE_NAMES})


def themed(theme: ft.Theme | None, lang: str) -> ft.Theme:
    """A copy of `theme` (or a new one) whose fonts suit `lang`."""
    return dataclasses.replace(
        theme or ft.Theme(),
        font_family=font_family_for(lang),
        text_theme=text_theme(lang),
        primary_text_theme=text_theme(lang, color=ft.Colors.ON_PRIMARY),
    )


def locale_configuration(lang: str) -> ft.LocaleConfiguration:
    """Every app language is supported by Flutter's Material localizations; `lang` is current."""
    return ft.LocaleConfiguration(
        supported_locales=[ft.Locale(code) for code in LANGUAGES],
        current_locale=ft.Locale(lang),
    )


def apply_locale(page: ft.Page, lang: str, *, update: bool = True) -> None:
    """Show `page` in `lang`: fonts, theme font, right-to-left, Flutter locale, and `_()`.

    Safe to call again on a language switch; `update=False` when the caller updates the
    page itself (for example before the first render).
    """
    lang = supported(lang)
    if page.fonts is None or any(family not in page.fonts for family in FONT_FILES):
        page.fonts = {**(page.fonts or {}), **font_files_in_loading_order(lang)}
    page.theme = themed(page.theme, lang)
    if page.dark_theme is not None:
        page.dark_theme = themed(page.dark_theme, lang)
    page.rtl = is_rtl(lang)
    page.locale_configuration = locale_configuration(lang)
    set_language(lang)
    if update:
        page.update()
