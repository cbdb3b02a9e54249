"""Home: notices in force for the person's countries, the emergency block first, then topics
grouped by journey stage (the person's own stage first), then services and safety."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import flet as ft

from app.content.dto import NoticeCard, TopicCard
from app.content.emergency import EmergencyCall
from app.i18n import _
from app.views.common import (
    GAP,
    TS,
    call_button,
    heading,
    list_tile,
    long_date,
    material_icon,
    muted,
    navigate,
    screen,
    subheading,
    tagged,
    text,
    use_screen_route,
    use_state_context,
)
from app.views.notices import notice_card

STAGES_BY_ROLE = {
    "planning": ("before_you_go", "in_destination", "coming_home", "family_at_home"),
    "abroad": ("in_destination", "coming_home", "before_you_go", "family_at_home"),
    "family": ("family_at_home", "coming_home", "in_destination", "before_you_go"),
}
# Topics that open a screen of their own rather than a list of articles.
TOPIC_SCREENS = {"emergency-contacts": "/contacts", "first-aid": "/first-aid"}


# What the home route loader hands the screen.
@dataclass(frozen=True)
class HomeData:
    topics: list[TopicCard]
    notices: list[NoticeCard] = field(default_factory=list)
    # Where the person is: the number for every emergency, or ambulance, police and fire.
    emergency: list[EmergencyCall] = field(default_factory=list)
    country_name: str | None = None  # where the person is or is going, in their language
    role: str | None = None
    # Past its signed expiry: the screen says it may be out of date, and when it was last checked.
    out_of_date: bool = False
    last_verified: datetime | None = None
    updates_set_up: bool = False


def stage_title(stage: str, country_name: str | None = None, role: str | None = None) -> str:
    if role == "family":  # advice for a relative abroad, never "In <the family's own country>"
        family_titles = {
            # Translators: a home screen heading, for a family at home, over advice for migrants abroad.
            "in_destination": _("For people who are abroad"),
            # Translators: a home screen heading, for a family at home, over advice for people about to leave.
            "before_you_go": _("For people getting ready to go"),
        }
        if stage in family_titles:
            return family_titles[stage]
    elif stage == "in_destination" and country_name:
        # Translators: a home screen heading; {country} is where the person works or will work.
        return _("In {country}").format(country=country_name)
    titles = {
        "emergency": _("In an emergency"),
        "before_you_go": _("Before you go"),
        "in_destination": _("While you are abroad"),
        "coming_home": _("Coming home"),
        "family_at_home": _("For families at home"),
    }
    return titles.get(stage, stage.replace("_", " ").capitalize())


def topic_route(topic: TopicCard) -> str:
    return TOPIC_SCREENS.get(topic.id, f"/topics/{topic.id}")


def topic_card(topic: TopicCard) -> ft.Control:
    return list_tile(f"topic-{topic.id}", topic.title, topic.summary, leading=material_icon(topic.icon),
                     on_click=lambda: navigate(topic_route(topic)))


def quick_link(identifier: str, icon, label: str, route: str, stacked: bool = False) -> ft.Control:
    """A tile of the emergency block; `stacked` (large text) puts the icon beside the words."""
    icon_control = ft.Icon(icon, color=ft.Colors.PRIMARY, size=28)
    if stacked:
        content = ft.Row([icon_control, text(label, TS.LABEL_LARGE, weight=ft.FontWeight.W_600, expand=True)],
                         spacing=12)
    else:
        content = ft.Column(
            [icon_control, text(label, TS.LABEL_LARGE, text_align=ft.TextAlign.CENTER, weight=ft.FontWeight.W_600)],
            spacing=4, tight=True, horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        )
    target = ft.Container(
        content, on_click=lambda: navigate(route), ink=True, padding=ft.Padding.symmetric(vertical=10, horizontal=4),
        border_radius=12, border=ft.Border.all(1, ft.Colors.OUTLINE_VARIANT), alignment=ft.Alignment.CENTER,
    )
    return ft.Container(tagged(identifier, target, button=True), expand=not stacked)  # named by its words, once


def emergency_buttons(calls: list[EmergencyCall]) -> list[ft.Control]:
    """One big button per number, each saying which service answers it."""
    buttons = [
        call_button(call.contact, big=True, services=call.services,
                    identifier="home-call-emergency" if call.services == ("all",) else f"home-call-{call.contact.id}")
        for call in calls
    ]
    return [b for b in buttons if b is not None]


# The longest word that fits a third of a 360 px phone at normal size ("emergency" splits).
LONGEST_WORD_IN_A_TILE = 9


def has_long_word(labels: list[str]) -> bool:
    """A word too long for a narrow tile: the tiles then stack, rather than split "emer gency"."""
    return any(len(word) > LONGEST_WORD_IN_A_TILE for label in labels for word in label.split())


def emergency_block(data: HomeData, large_text: bool) -> ft.Control:
    topics = {t.id: t for t in data.topics if t.stage == "emergency"}
    rows: list[ft.Control] = [heading(_("In an emergency"), style=TS.TITLE_LARGE, identifier="stage-emergency")]
    rows += emergency_buttons(data.emergency)
    if data.country_name is None:
        rows.append(muted(_("Choose your country in Settings to see its emergency number here.")))
    tiles = [(f"topic-{t.id}", material_icon(t.icon), t.title, topic_route(t)) for t in topics.values()]
    tiles.append(("open-what-if", ft.Icons.HELP_OUTLINE, _("What if…"), "/topics/what-if"))
    stacked = large_text or has_long_word([label for _id, _icon, label, _route in tiles])
    links = [quick_link(identifier, icon, label, route, stacked) for identifier, icon, label, route in tiles]
    if stacked:
        rows.append(ft.Column(links, spacing=8, horizontal_alignment=ft.CrossAxisAlignment.STRETCH))
    else:
        rows.append(ft.Row(links, spacing=8, vertical_alignment=ft.CrossAxisAlignment.START))
    return ft.Container(
        ft.Column(rows, spacing=GAP, tight=True, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
        padding=16, border_radius=16, border=ft.Border.all(2, ft.Colors.PRIMARY),
    )


def out_of_date_line(data: HomeData, lang: str) -> ft.Control | None:
    """Below the emergency numbers, which stay: the content is past its signed expiry."""
    if not data.out_of_date:
        return None
    lines = [_("This information may be out of date.")]
    if data.last_verified:
        # Translators: {date} is the last day the update server confirmed this information was current.
        lines.append(_("It was last checked on {date}.").format(date=long_date(data.last_verified, lang)))
    if data.updates_set_up:
        lines.append(_("When you have internet, check for updates in Settings."))
    column = ft.Column([text(line, color=ft.Colors.ON_SURFACE_VARIANT) for line in lines], spacing=2, tight=True)
    return tagged("home-out-of-date", ft.Row([ft.Icon(ft.Icons.UPDATE, color=ft.Colors.ON_SURFACE_VARIANT),
                                              ft.Container(column, expand=True)]))


def more_block() -> list[ft.Control]:
    return [
        subheading(_("More"), identifier="stage-more"),
        list_tile("open-help", _("Ask the Red Cross for help"),
                  _("Find a family member, ask to be contacted, or tell your family you are safe."),
                  leading=ft.Icons.SUPPORT_AGENT, on_click=lambda: navigate("/help")),
        list_tile("open-notices", _("Notices"), _("Warnings for your countries, now and in the past."),
                  leading=ft.Icons.CAMPAIGN_OUTLINED, on_click=lambda: navigate("/notices")),
        list_tile("open-services", _("Red Cross and Red Crescent services"),
                  _("What the National Society offers in each country."), leading=ft.Icons.VOLUNTEER_ACTIVISM,
                  on_click=lambda: navigate("/services")),
        list_tile("open-safety", _("Your safety and quick exit"),
                  _("What the Exit button hides, and what it does not."), leading=ft.Icons.SHIELD_OUTLINED,
                  on_click=lambda: navigate("/safety")),
    ]


@ft.component
def HomeScreen() -> ft.View:
    route = use_screen_route()
    data: HomeData = ft.use_route_loader_data()
    state = use_state_context()
    sections: list[ft.Control] = [notice_card(n, state.lang) for n in data.notices]
    sections.append(emergency_block(data, state.text_scale >= 1.3))
    if (out_of_date := out_of_date_line(data, state.lang)) is not None:
        sections.append(out_of_date)
    by_stage: dict[str, list[TopicCard]] = {}
    for topic in data.topics:
        by_stage.setdefault(topic.stage, []).append(topic)
    for stage in STAGES_BY_ROLE.get(data.role or "planning", STAGES_BY_ROLE["planning"]):
        if by_stage.get(stage):
            sections.append(subheading(stage_title(stage, data.country_name, data.role), identifier=f"stage-{stage}"))
            sections.extend(topic_card(t) for t in by_stage[stage])
    sections += more_block()
    sections.append(muted(_("Information for a safe journey, at home and abroad. It works without internet.")))
    return screen(route, *sections)
