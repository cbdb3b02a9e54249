"""Any address the app does not know: say so, and offer the way back to the start."""

from __future__ import annotations

import flet as ft

from app.i18n import _
from app.views.common import heading, navigate, screen, tagged, use_screen_route


@ft.component
def NotFoundScreen() -> ft.View:
    route = use_screen_route()
    home = ft.FilledButton(_("Go to the start"), icon=ft.Icons.HOME, on_click=lambda: navigate("/"))
    return screen(route, heading(_("This page could not be found."), identifier="not-found"), tagged("go-home", home))
