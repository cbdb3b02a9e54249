"""Red Cross and Red Crescent services: the National Societies' programmes, by country."""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft

from app.content.dto import CountryOption, ServiceGroup
from app.i18n import _
from app.state import PAGE_SIZE
from app.views.common import (
    TS,
    go_to,
    heading,
    list_tile,
    muted,
    screen,
    show_more,
    shown_in,
    subheading,
    use_screen_route,
    use_state_context,
)
from app.views.pickers import country_picker

ALL = "*"


# What the services route loader hands the screen.
@dataclass(frozen=True)
class ServicesData:
    groups: list[ServiceGroup]
    preferred: str | None  # the person's country with services, if any


@ft.component
def ServicesScreen() -> ft.View:
    route = use_screen_route()
    data: ServicesData = ft.use_route_loader_data()
    chosen, choose = ft.use_state(data.preferred or ALL)
    limit, set_limit = ft.use_state(PAGE_SIZE)
    lang = use_state_context().lang
    options = [CountryOption(ALL, _("All countries"), ())] + [CountryOption(g.country, g.country_name, ()) for g in data.groups]
    rows: list[ft.Control] = [
        heading(_("Red Cross and Red Crescent services"), identifier="services-title"),
        muted(_("Programmes of the National Societies for people who migrate and their families."),
              style=TS.BODY_MEDIUM),
        country_picker(options, chosen, lambda c: (choose(c or ALL), set_limit(PAGE_SIZE)),
                       identifier="services-country", label=_("Country")),
    ]
    shown = 0
    for group in data.groups:
        if chosen not in (ALL, group.country):
            continue
        if shown >= limit:
            break
        rows.append(subheading(group.country_name, identifier=f"services-{group.country}"))
        for service in group.services[: limit - shown]:
            rows.append(list_tile(f"service-{service.id}", service.title, service.summary,
                                  on_click=go_to(f"{route.rstrip('/')}/articles/{service.id}"),
                                  language=shown_in(service.lang, lang)))
            shown += 1
    total = sum(len(g.services) for g in data.groups if chosen in (ALL, g.country))
    if total > limit:
        rows.append(show_more(lambda: set_limit(limit + PAGE_SIZE), "services-show-more"))
    if not total:
        rows.append(muted(_("There is nothing here yet.")))
    return screen(route, *rows, title=_("Services"))
