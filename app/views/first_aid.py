"""First aid: the emergency number where the person is, as one large button, then tips by situation."""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft

from app.content.dto import ArticleSummary
from app.content.emergency import EmergencyCall
from app.i18n import _
from app.views.common import (
    TS,
    call_button,
    go_to,
    heading,
    list_tile,
    muted,
    navigate,
    screen,
    shown_in,
    tagged,
    use_screen_route,
    use_state_context,
)


# What the first-aid route loader hands the screen.
@dataclass(frozen=True)
class FirstAidData:
    tips: list[ArticleSummary]
    emergency: EmergencyCall | None  # the ambulance, or the number for every emergency
    country_name: str | None


def ambulance_button(call: EmergencyCall | None, country_name: str | None, identifier: str) -> list[ft.Control]:
    """The big "Call 995 — ambulance" button; never a number whose service no source gave."""
    button = call_button(call.contact, identifier=identifier, big=True, services=call.services) if call else None
    if button is not None:
        return [button]
    if country_name is None:
        return [muted(_("Choose the country where you are in Settings to see its emergency number here."),
                      style=TS.BODY_MEDIUM)]
    return [
        tagged(f"{identifier}-unconfirmed", muted(
            # Translators: on a first-aid page; {country} is where the person is.
            _("We could not yet confirm which number calls an ambulance in {country}. "
              "See the emergency numbers in Contacts.").format(country=country_name), style=TS.BODY_MEDIUM)),
        tagged(f"{identifier}-contacts", ft.OutlinedButton(_("Emergency numbers"), icon=ft.Icons.CONTACT_PHONE,
                                                           on_click=lambda: navigate("/contacts"))),
    ]


def emergency_call(data: FirstAidData) -> list[ft.Control]:
    return ambulance_button(data.emergency, data.country_name, "first-aid-call-emergency")


@ft.component
def FirstAidScreen() -> ft.View:
    route = use_screen_route()
    data: FirstAidData = ft.use_route_loader_data()
    lang = use_state_context().lang
    rows: list[ft.Control] = [
        heading(_("First aid"), identifier="first-aid-title"),
        muted(_("If someone is badly hurt or not breathing, call for help first."), style=TS.BODY_MEDIUM),
        *emergency_call(data),
    ]
    rows += [
        list_tile(f"article-{tip.id}", tip.title, tip.summary, leading=ft.Icons.HEALING,
                  on_click=go_to(f"{route.rstrip('/')}/articles/{tip.id}"),
                  language=shown_in(tip.lang, lang))
        for tip in data.tips
    ]
    return screen(route, *rows, title=_("First aid"))
