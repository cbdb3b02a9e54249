"""The app's look: colours (normal or high contrast) and text sizes scaled by the text-size setting.

Every text in the app takes its size from the theme's type scale (views use
`theme_style=`, never a fixed `size=`), so one setting scales all of it: lists, buttons,
fields, the app bar and Markdown articles alike. Fonts and direction come from
app/locale_setup.py, applied on top.
"""

from __future__ import annotations

import dataclasses

import flet as ft

from app.locale_setup import TEXT_STYLE_NAMES, apply_locale

RED_CROSS_RED = "#C8102E"  # 5.9:1 on white
DEEP_RED = "#8E0B21"  # high contrast: 9.6:1 on white
# Material 3 type scale, with body text a little larger than Material's (easier on small phones).
BASE_SIZES: dict[str, float] = {
    "display_large": 57, "display_medium": 45, "display_small": 36,
    "headline_large": 32, "headline_medium": 28, "headline_small": 24,
    "title_large": 22, "title_medium": 18, "title_small": 16,
    "body_large": 17, "body_medium": 16, "body_small": 14,
    "label_large": 16, "label_medium": 14, "label_small": 13,
}


def colours(high_contrast: bool) -> ft.ColorScheme:
    if high_contrast:
        return ft.ColorScheme(
            primary=DEEP_RED, on_primary=ft.Colors.WHITE, secondary=ft.Colors.BLACK,
            surface=ft.Colors.WHITE, on_surface=ft.Colors.BLACK, on_surface_variant=ft.Colors.BLACK,
            outline=ft.Colors.BLACK, outline_variant=ft.Colors.BLACK,
            primary_container="#FFE5E9", on_primary_container=ft.Colors.BLACK,
            error_container="#FFE5E9", on_error_container=ft.Colors.BLACK,
        )
    return ft.ColorScheme(primary=RED_CROSS_RED, on_primary=ft.Colors.WHITE)


# Buttons take no fixed height: a fixed one cuts a label that the text size or a tall script
# (Urdu, Burmese) makes taller, or that wraps to two lines. This padding around one line of
# label text makes them at least 48 px tall, and they grow with their words.
BUTTON_PADDING = ft.Padding.symmetric(horizontal=16, vertical=14)


def base_theme(high_contrast: bool) -> ft.Theme:
    return ft.Theme(
        color_scheme_seed=RED_CROSS_RED,
        color_scheme=colours(high_contrast),
        use_material3=True,
        visual_density=ft.VisualDensity.STANDARD,
        filled_button_theme=ft.FilledButtonTheme(style=ft.ButtonStyle(padding=BUTTON_PADDING)),
        outlined_button_theme=ft.OutlinedButtonTheme(style=ft.ButtonStyle(padding=BUTTON_PADDING)),
        text_button_theme=ft.TextButtonTheme(style=ft.ButtonStyle(padding=BUTTON_PADDING)),
    )


def _scaled(text_theme: ft.TextTheme | None, scale: float) -> ft.TextTheme:
    text_theme = text_theme or ft.TextTheme()
    sized = {}
    for name in TEXT_STYLE_NAMES:
        style = getattr(text_theme, name) or ft.TextStyle()
        sized[name] = dataclasses.replace(style, size=round(BASE_SIZES[name] * scale, 1))
    return dataclasses.replace(text_theme, **sized)


def apply_look(page: ft.Page, *, lang: str, scale: float, high_contrast: bool, update: bool = True) -> None:
    """Colours, fonts for `lang`, direction and text sizes, all at once (then one page update)."""
    page.theme_mode = ft.ThemeMode.LIGHT
    page.theme = base_theme(high_contrast)
    apply_locale(page, lang, update=False)
    page.theme = dataclasses.replace(
        page.theme,
        text_theme=_scaled(page.theme.text_theme, scale),
        primary_text_theme=_scaled(page.theme.primary_text_theme, scale),
    )
    if update:
        page.update()
