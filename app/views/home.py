"""Home: topics grouped by journey stage, each stage a heading, each topic a card."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

import flet as ft

from app.content.dto import TopicCard
from app.i18n import _
from app.views.common import (
    GAP,
    RED_CROSS_RED,
    card,
    heading,
    material_icon,
    muted,
    navigate,
    screen,
    tagged,
    use_screen_route,
)


# What the home route loader hands the screen.
@dataclass(frozen=True)
class HomeData:
    topics: list[TopicCard]


def stage_title(stage: str) -> str:
    titles = {
        "emergency": _("In an emergency"),
        "before_you_go": _("Before you go"),
        "in_destination": _("While you are abroad"),
        "coming_home": _("Coming home"),
        "family_at_home": _("For families at home"),
    }
    return titles.get(stage, stage.replace("_", " ").capitalize())


def topic_card(topic: TopicCard) -> ft.Control:
    tile = ft.ListTile(
        leading=ft.Icon(material_icon(topic.icon), color=RED_CROSS_RED),
        title=ft.Text(topic.title, weight=ft.FontWeight.W_600),
        subtitle=ft.Text(topic.summary),
        trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
        min_height=56,
        on_click=lambda: navigate(f"/topics/{topic.id}"),
    )
    return card(f"topic-{topic.id}", tile)


def search_button() -> ft.Control:
    return tagged(
        "open-search",
        ft.IconButton(
            ft.Icons.SEARCH,
            icon_color=ft.Colors.WHITE,
            tooltip=_("Search"),
            on_click=lambda: navigate("/search"),
        ),
    )


@ft.component
def HomeScreen() -> ft.View:
    route = use_screen_route()
    data: HomeData = ft.use_route_loader_data()
    sections: list[ft.Control] = [muted(_("Information for a safe journey, at home and abroad. It works without internet."), size=15)]
    for stage, topics in groupby(data.topics, key=lambda t: t.stage):
        sections.append(ft.Container(heading(stage_title(stage), size=18, identifier=f"stage-{stage}"), padding=ft.Padding.only(top=GAP)))
        sections.extend(topic_card(t) for t in topics)
    return screen(route, *sections, actions=[search_button()])
