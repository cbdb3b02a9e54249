"""Shown when something unexpected stops the app: plain words and the emergency numbers."""

from __future__ import annotations

import flet as ft

from app.content.dto import ContactCard
from app.i18n import _
from app.locale_data import country_name
from app.views.common import GAP, TS, call_button, heading, tagged, text


def error_view(contacts: list[ContactCard], lang: str) -> ft.View:
    rows: list[ft.Control] = [
        heading(_("Something went wrong"), identifier="error-title"),
        text(_("The app could not open its information. You can still call for help. "
               "If this keeps happening, close the app and open it again."), TS.BODY_LARGE),
    ]
    several_countries = len({c.country for c in contacts}) > 1
    for contact in contacts:
        if several_countries:
            rows.append(text(country_name(contact.country, lang), TS.TITLE_SMALL))
        rows.append(text(contact.name, TS.TITLE_MEDIUM))
        button = call_button(contact, identifier=f"error-call-{contact.id}", big=not several_countries,
                             services=contact.services)
        if button is not None:
            rows.append(button)
    return ft.View(
        route="/",
        can_pop=False,
        appbar=ft.AppBar(title=ft.Text(_("Safe Journey"), color=ft.Colors.ON_PRIMARY), bgcolor=ft.Colors.PRIMARY),
        controls=[tagged("error-screen", ft.Column(rows, spacing=GAP))],
        scroll=ft.ScrollMode.AUTO,
        padding=ft.Padding.symmetric(horizontal=16, vertical=GAP),
    )


@ft.component
def ErrorScreen(contacts: list[ContactCard], lang: str) -> list[ft.View]:
    return [error_view(contacts, lang)]
