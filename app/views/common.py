"""Pieces every screen shares: the screen frame, test identifiers, dates, icons, colours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable

import flet as ft
from babel.dates import format_date

from app.content.dto import SearchHit
from app.i18n import _
from app.state import AppState

RED_CROSS_RED = "#C8102E"
GAP = 12


# What screens may ask for outside their route loader (not reactive).
@dataclass(frozen=True)
class Env:
    state: AppState
    search: Callable[[str, str, int], list[SearchHit]]  # (query, lang, limit)


EnvContext = ft.create_context(None)


def use_env() -> Env:
    return ft.use_context(EnvContext)


def use_screen_route() -> str:
    """This screen's own path (its place in the stack); also records the current location
    in the app state once the screen has rendered."""
    env = use_env()
    location = ft.use_route_location()
    ft.use_effect(lambda: env.state.set_route(location), dependencies=[location])
    return ft.use_view_path()


def navigate(route: str) -> None:
    ft.context.page.navigate(route)


def tagged(identifier: str, content: ft.Control) -> ft.Control:
    """Give a control a stable id; Flutter web shows it as `flt-semantics-identifier`."""
    return ft.Semantics(identifier=identifier, content=content)


def card(identifier: str, tile: ft.ListTile) -> ft.Control:
    """A tappable list tile on a card, tagged for tests."""
    return tagged(identifier, ft.Card(content=tile, margin=0))


def screen(route: str, *controls: ft.Control, actions: list[ft.Control] | None = None) -> ft.View:
    """One screen: app bar, then the controls in a column that scrolls vertically only.

    `route` must be the screen's own path: Flutter keys the page stack by it, and the
    app bar shows a back arrow on every screen above the first.
    """
    return ft.View(
        route=route,
        can_pop=route != "/",
        appbar=ft.AppBar(
            title=ft.Text(_("Safe Journey"), weight=ft.FontWeight.W_600),
            bgcolor=RED_CROSS_RED,
            color=ft.Colors.WHITE,
            actions=actions,
        ),
        controls=list(controls),
        scroll=ft.ScrollMode.AUTO,
        padding=ft.Padding.symmetric(horizontal=16, vertical=GAP),
        spacing=GAP,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )


def heading(text: str, *, size: int = 22, identifier: str | None = None) -> ft.Control:
    title = ft.Text(text, size=size, weight=ft.FontWeight.BOLD)
    return tagged(identifier, title) if identifier else title


def muted(text: str, *, size: int = 13) -> ft.Text:
    return ft.Text(text, size=size, color=ft.Colors.ON_SURFACE_VARIANT)


def show_more(on_click: Callable[[], None], identifier: str) -> ft.Control:
    return tagged(identifier, ft.OutlinedButton(_("Show more"), on_click=on_click, height=48))


def long_date(value: date | datetime, lang: str) -> str:
    """A date written out for the reader's language (Babel knows each locale's format)."""
    try:
        return format_date(value, format="long", locale=lang)
    except Exception:  # unknown locale: fall back to English
        return format_date(value, format="long", locale="en")


def material_icon(name: str, default: ft.IconData = ft.Icons.ARTICLE_OUTLINED) -> ft.IconData:
    """Content names icons in lower snake case (`medical_services`); unknown names get a default."""
    return getattr(ft.Icons, (name or "").upper(), default)
