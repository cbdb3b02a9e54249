"""A list of choices, one of them picked: each a full-width row at least 48 px high with a
radio mark and the label, so the choice is shown by shape and words, not colour alone."""

from __future__ import annotations

from typing import Callable

import flet as ft

from app.views.common import TS, tagged


def choice_row(identifier: str, label: str, selected: bool, on_pick: Callable[[], None],
               subtitle: str | None = None) -> ft.Control:
    words: list[ft.Control] = [ft.Text(label, theme_style=TS.TITLE_SMALL,
                                       weight=ft.FontWeight.BOLD if selected else ft.FontWeight.NORMAL)]
    if subtitle:
        words.append(ft.Text(subtitle, theme_style=TS.BODY_SMALL, color=ft.Colors.ON_SURFACE_VARIANT))
    row = ft.Container(
        ft.Row(
            [ft.Icon(ft.Icons.RADIO_BUTTON_CHECKED if selected else ft.Icons.RADIO_BUTTON_UNCHECKED,
                     color=ft.Colors.PRIMARY),
             ft.Column(words, spacing=2, tight=True, expand=True)],
            spacing=12,
        ),
        on_click=on_pick,
        ink=True,
        padding=ft.Padding.symmetric(horizontal=12, vertical=12),
        border_radius=12,
        border=ft.Border.all(2 if selected else 1, ft.Colors.PRIMARY if selected else ft.Colors.OUTLINE_VARIANT),
        bgcolor=ft.Colors.PRIMARY_CONTAINER if selected else None,
    )
    return tagged(identifier, row, button=True, selected=selected)


def go(on_pick: Callable[[str], None], key: str) -> Callable[[], None]:
    return lambda: on_pick(key)


def choice_list(prefix: str, options: list[tuple[str, str]], selected: str | None,
                on_pick: Callable[[str], None], subtitles: dict[str, str] | None = None) -> ft.Control:
    """`options` are (key, label); the row for `key` is tagged `<prefix>-<key>`."""
    subtitles = subtitles or {}
    return ft.Column(
        [choice_row(f"{prefix}-{key}", label, key == selected, go(on_pick, key), subtitles.get(key))
         for key, label in options],
        spacing=8,
    )
