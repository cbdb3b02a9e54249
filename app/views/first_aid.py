"""First aid: the emergency number where the person is, as one large button, then tips by situation."""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft

from app.content.dto import ArticleSummary, ContactCard
from app.i18n import _
from app.views.common import TS, call_button, go_to, heading, list_tile, muted, screen, use_screen_route


# What the first-aid route loader hands the screen.
@dataclass(frozen=True)
class FirstAidData:
    tips: list[ArticleSummary]
    emergency: ContactCard | None
    country_name: str | None


def emergency_call(data: FirstAidData) -> ft.Control:
    if data.emergency and data.emergency.dial:
        return call_button(data.emergency, identifier="first-aid-call-emergency", big=True)
    return muted(_("Choose the country where you are in Settings to see its emergency number here."),
                 style=TS.BODY_MEDIUM)


@ft.component
def FirstAidScreen() -> ft.View:
    route = use_screen_route()
    data: FirstAidData = ft.use_route_loader_data()
    rows: list[ft.Control] = [
        heading(_("First aid"), identifier="first-aid-title"),
        muted(_("If someone is badly hurt or not breathing, call for help first."), style=TS.BODY_MEDIUM),
        emergency_call(data),
    ]
    rows += [
        list_tile(f"article-{tip.id}", tip.title, tip.summary, leading=ft.Icons.HEALING,
                  on_click=go_to(f"{route.rstrip('/')}/articles/{tip.id}"))
        for tip in data.tips
    ]
    return screen(route, *rows, title=_("First aid"))
