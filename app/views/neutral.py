"""What quick exit shows: a plain notes page, with no Red Cross name, colour or sign."""

from __future__ import annotations

import flet as ft

from app.i18n import _

GREY = "#455A64"


def neutral_view() -> ft.View:
    note = ft.TextField(
        multiline=True,
        min_lines=10,
        hint_text=_("Write something…"),
        border=ft.InputBorder.NONE,
    )
    return ft.View(
        route="/",
        can_pop=False,
        appbar=ft.AppBar(title=ft.Text(_("Notes"), color=ft.Colors.WHITE), bgcolor=GREY,
                         automatically_imply_leading=False),
        controls=[ft.Semantics(identifier="neutral-screen", content=ft.Text(_("Today"), color=GREY)), note],
        bgcolor=ft.Colors.WHITE,
        padding=16,
    )
