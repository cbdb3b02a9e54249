"""Emergency notices: the card shown at the top of home, and the screen of every notice for
the person's countries, those in force first, then past ones."""

from __future__ import annotations

from dataclasses import dataclass, field

import flet as ft

from app.content.dto import NoticeCard
from app.i18n import _
from app.views.common import TS, card, heading, long_date, muted, screen, subheading, text, use_screen_route, use_state_context

# Severity: the icon and the colours of the card (background, text).
LOOKS = {
    "danger": (ft.Icons.REPORT_OUTLINED, ft.Colors.ERROR_CONTAINER, ft.Colors.ON_ERROR_CONTAINER),
    "warning": (ft.Icons.WARNING_AMBER_ROUNDED, ft.Colors.TERTIARY_CONTAINER, ft.Colors.ON_TERTIARY_CONTAINER),
    "info": (ft.Icons.INFO_OUTLINE, ft.Colors.SECONDARY_CONTAINER, ft.Colors.ON_SECONDARY_CONTAINER),
}
PAST_LOOK = (ft.Icons.HISTORY, ft.Colors.SURFACE_CONTAINER_HIGHEST, ft.Colors.ON_SURFACE_VARIANT)


# What the notices route loader hands the screen.
@dataclass(frozen=True)
class NoticesData:
    current: list[NoticeCard] = field(default_factory=list)  # in force today, or starting later
    past: list[NoticeCard] = field(default_factory=list)


def severity_words(severity: str) -> str:
    return {"info": _("Information"), "warning": _("Warning"), "danger": _("Danger")}.get(severity, "")


def notice_card(notice: NoticeCard, lang: str, *, identifier: str | None = None, past: bool = False) -> ft.Control:
    """A notice with its severity, in the person's language or the source language with a note."""
    icon, background, colour = PAST_LOOK if past else LOOKS.get(notice.severity, LOOKS["warning"])
    rows: list[ft.Control] = [
        ft.Row([ft.Icon(icon, color=colour),
                text(severity_words(notice.severity), TS.LABEL_LARGE, weight=ft.FontWeight.BOLD, color=colour)]),
        text(notice.title, TS.TITLE_SMALL, weight=ft.FontWeight.BOLD, color=colour),
    ]
    if notice.body:
        rows.append(text(notice.body, color=colour))
    if notice.lang != lang:
        rows.append(text(_("This notice is not translated into your language yet."), TS.BODY_SMALL, color=colour,
                         italic=True))
    if past:
        # Translators: {date} is the last day a notice was in force.
        when = _("Ended on {date}").format(date=long_date(notice.ends, lang))
    else:
        # Translators: {date} is the last day a notice is in force.
        when = _("In force until {date}").format(date=long_date(notice.ends, lang))
    rows.append(text(when, TS.BODY_SMALL, color=colour))
    body = ft.Column(rows, spacing=6, tight=True)
    return card(identifier or f"notice-{notice.id}", ft.Container(body, padding=16), bgcolor=background)


@ft.component
def NoticesScreen() -> ft.View:
    route = use_screen_route()
    data: NoticesData = ft.use_route_loader_data()
    lang = use_state_context().lang
    rows: list[ft.Control] = [
        heading(_("Notices"), identifier="notices-title"),
        subheading(_("In force now"), identifier="notices-current"),
    ]
    rows += [notice_card(n, lang, identifier=f"notices-current-{n.id}") for n in data.current]
    if not data.current:
        rows.append(muted(_("There is nothing here yet.")))
    rows.append(subheading(_("Past notices"), identifier="notices-past"))
    rows += [notice_card(n, lang, identifier=f"notices-past-{n.id}", past=True) for n in data.past]
    if not data.past:
        rows.append(muted(_("There is nothing here yet.")))
    return screen(route, *rows)
