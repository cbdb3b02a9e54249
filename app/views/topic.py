"""One topic: its title and summary, then its articles, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft

from app.content.dto import ArticleSummary, TopicCard
from app.i18n import _
from app.state import PAGE_SIZE
from app.views.common import (
    TS,
    heading,
    list_tile,
    muted,
    navigate,
    screen,
    show_more,
    shown_in,
    use_screen_route,
    use_state_context,
)


# What the topic route loader hands the screen; `topic` is None for an unknown id.
@dataclass(frozen=True)
class TopicData:
    topic: TopicCard | None
    articles: list[ArticleSummary]


def article_tile(article: ArticleSummary, route: str, reader_lang: str) -> ft.Control:
    return list_tile(f"article-{article.id}", article.title, article.summary, on_click=lambda: navigate(route),
                     language=shown_in(article.lang, reader_lang))


@ft.component
def TopicScreen() -> ft.View:
    route = use_screen_route()
    data: TopicData = ft.use_route_loader_data()
    limit, set_limit = ft.use_state(PAGE_SIZE)
    lang = use_state_context().lang
    if data.topic is None:
        return screen(route, heading(_("This topic could not be found."), identifier="not-found"))
    rows: list[ft.Control] = [
        heading(data.topic.title, identifier="topic-title"),
        muted(data.topic.summary, style=TS.BODY_MEDIUM),
    ]
    rows += [article_tile(a, f"{route.rstrip('/')}/articles/{a.id}", lang) for a in data.articles[:limit]]
    if not data.articles:
        rows.append(muted(_("There is nothing here yet.")))
    if len(data.articles) > limit:
        rows.append(show_more(lambda: set_limit(limit + PAGE_SIZE), "topic-show-more"))
    return screen(route, *rows)
