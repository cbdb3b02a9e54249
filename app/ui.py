"""The Flet app: routes, their loaders, and the web server entry point.

URLs mirror the screen stack, so the app bar's back arrow and the browser's back
button both return to the screen below:
    /                                   home
    /topics/<topic>                     a topic's articles
    /topics/<topic>/articles/<article>  an article opened from its topic
    /search                             search
    /search/articles/<article>          an article opened from the results
    /articles/<article>                 an article opened from a related link
    anything else                       "not found", above home
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

import flet as ft

from app.content.dto import SearchHit
from app.i18n import _
from app.state import AppState, StateContext
from app.storage.paths import ASSETS_DIR
from app.views.article import ArticleData, ArticleScreen
from app.views.common import RED_CROSS_RED, Env, EnvContext
from app.views.home import HomeData, HomeScreen
from app.views.not_found import NotFoundScreen
from app.views.search import SearchScreen
from app.views.topic import TopicData, TopicScreen

if TYPE_CHECKING:
    from app.runtime import Runtime


# Route loaders: the only place screens' data comes from.
@dataclass(frozen=True)
class Loaders:
    runtime: Runtime
    state: AppState

    def home(self, params: dict[str, str]) -> HomeData:
        return HomeData(topics=self.runtime.list_topics(self.state.lang))

    def topic(self, params: dict[str, str]) -> TopicData:
        topic_id = params.get("topic_id", "")
        topics = {t.id: t for t in self.runtime.list_topics(self.state.lang)}
        topic = topics.get(topic_id)
        articles = self.runtime.list_articles(topic_id, self.state.lang) if topic else []
        return TopicData(topic=topic, articles=articles)

    def article(self, params: dict[str, str]) -> ArticleData:
        article_id = params.get("article_id", "")
        return ArticleData(article=self.runtime.get_article(article_id, self.state.lang, country=self.state.country))

    def search(self, query: str, lang: str, limit: int) -> list[SearchHit]:
        return self.runtime.search(query, lang, country=self.state.country, limit=limit)


def routes(loaders: Loaders) -> list[ft.Route]:
    def article_route() -> ft.Route:
        return ft.Route(path="articles/:article_id", component=ArticleScreen, loader=loaders.article)

    return [
        ft.Route(
            path="/",
            component=HomeScreen,
            loader=loaders.home,
            children=[
                ft.Route(path="topics/:topic_id", component=TopicScreen, loader=loaders.topic, children=[article_route()]),
                ft.Route(path="search", component=SearchScreen, children=[article_route()]),
                article_route(),
                ft.Route(path=":missing+", component=NotFoundScreen),
            ],
        )
    ]


@ft.component
def App(env: Env, loaders: Loaders):
    def router():
        return ft.Router(routes(loaders), manage_views=True)

    return EnvContext(env, lambda: StateContext(env.state, router))


def build_main(runtime: Runtime) -> Callable[[ft.Page], None]:
    """The Flet `main(page)`; each browser tab is its own session with its own state."""

    def main(page: ft.Page) -> None:
        state = AppState()
        loaders = Loaders(runtime=runtime, state=state)
        page.title = _("Safe Journey")
        page.theme_mode = ft.ThemeMode.LIGHT
        page.theme = ft.Theme(
            color_scheme_seed=RED_CROSS_RED,
            color_scheme=ft.ColorScheme(primary=RED_CROSS_RED, on_primary=ft.Colors.WHITE),
            use_material3=True,
        )
        page.render_views(App, Env(state=state, search=loaders.search), loaders)

    return main


def serve(runtime: Runtime, *, port: int, host: str = "127.0.0.1") -> None:
    """Serve the app to web browsers on host:port, offline (no CDN), never opening a browser."""
    os.environ.setdefault("FLET_FORCE_WEB_SERVER", "1")
    ft.run(
        build_main(runtime),
        host=host,
        port=port,
        view=ft.AppView.WEB_BROWSER,
        no_cdn=True,
        assets_dir=str(ASSETS_DIR),
    )
