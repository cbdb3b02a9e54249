"""The Flet app: routes, their loaders, and the web server entry point.

URLs mirror the screen stack, so the app bar's back arrow and the browser's back
button both return to the screen below:
    /                                   home
    /topics/<topic>                     a topic's articles
    /topics/<topic>/articles/<article>  an article opened from its topic
    /search[/articles/<article>]        search, and an article opened from the results
    /contacts                           contacts by country
    /first-aid[/articles/<article>]     first-aid tips
    /services[/articles/<article>]      Red Cross / Red Crescent services by country
    /saved[/articles/<article>]         bookmarks and "my important numbers"
    /settings[/articles/<article>]      settings, about and privacy
    /safety                             what quick exit does
    /articles/<article>                 an article opened from a related link
    anything else                       "not found", above home

Before the first-launch questions are answered the app shows them instead of the
routes; after a quick exit it shows a neutral notes page until it is opened again.
Loaders (reads) and app/actions.py (writes) are the only doors to the Runtime.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Callable

import flet as ft

from app.actions import IMPORTANT_NUMBERS_KEY, Actions, server_url
from app.content.dto import ContactCard, SearchHit
from app.content.emergency import EmergencyCall, first_aid_call, home_calls
from app.locale_data import country_name, language_choices
from app.state import AppState, StateContext
from app.storage.paths import ASSETS_DIR
from app.views.article import ArticleData, ArticleScreen
from app.views.common import Env, EnvContext
from app.views.contacts import ContactsData, ContactsScreen
from app.views.first_aid import FirstAidData, FirstAidScreen
from app.views.home import HomeData, HomeScreen
from app.views.neutral import neutral_view
from app.views.not_found import NotFoundScreen
from app.views.safety import SafetyScreen
from app.views.saved import SavedData, SavedScreen
from app.views.search import SearchScreen
from app.views.services import ServicesData, ServicesScreen
from app.views.settings import SettingsData, SettingsScreen
from app.views.topic import TopicData, TopicScreen
from app.views.welcome import WelcomeData, WelcomeScreen

if TYPE_CHECKING:
    from app.runtime import Runtime


# Route loaders: the only place screens' data comes from.
@dataclass(frozen=True)
class Loaders:
    runtime: Runtime
    state: AppState

    def _country_name(self) -> str | None:
        return country_name(self.state.country, self.state.lang) if self.state.country else None

    def _emergency_contacts(self) -> list[ContactCard]:
        return self.runtime.contacts(self.state.country, self.state.lang) if self.state.country else []

    def _emergency(self) -> EmergencyCall | None:
        """The ambulance (or the number for every emergency) where the person is."""
        return first_aid_call(self._emergency_contacts())

    def home(self, params: dict[str, str]) -> HomeData:
        s = self.state
        return HomeData(
            topics=self.runtime.list_topics(s.lang),
            notices=self.runtime.active_notices(s.countries(), s.lang, date.today()),
            emergency=home_calls(self._emergency_contacts()),
            country_name=self._country_name(),
            role=s.role,
        )

    def topic(self, params: dict[str, str]) -> TopicData:
        topic_id = params.get("topic_id", "")
        topics = {t.id: t for t in self.runtime.list_topics(self.state.lang)}
        topic = topics.get(topic_id)
        articles = self.runtime.list_articles(topic_id, self.state.lang, self.state.countries()) if topic else []
        return TopicData(topic=topic, articles=articles)

    def article(self, params: dict[str, str]) -> ArticleData:
        article_id = params.get("article_id", "")
        article = self.runtime.get_article(article_id, self.state.lang, country=self.state.country)
        return ArticleData(article=article, emergency=self._emergency(), country_name=self._country_name())

    def contacts(self, params: dict[str, str]) -> ContactsData:
        lang = self.state.lang
        countries = self.runtime.list_countries(lang)
        return ContactsData(
            countries=countries,
            contacts={c.code: self.runtime.contacts(c.code, lang) for c in countries},
            current=self.state.country,
        )

    def first_aid(self, params: dict[str, str]) -> FirstAidData:
        return FirstAidData(
            tips=self.runtime.articles_of_kind("first_aid", self.state.lang, self.state.country),
            emergency=self._emergency(),
            country_name=self._country_name(),
        )

    def services(self, params: dict[str, str]) -> ServicesData:
        groups = self.runtime.services_by_country(self.state.lang)
        having = {g.country for g in groups}
        preferred = next((c for c in self.state.countries() if c in having), None)
        return ServicesData(groups=groups, preferred=preferred)

    def saved(self, params: dict[str, str]) -> SavedData:
        numbers = self.runtime.setting(IMPORTANT_NUMBERS_KEY, {}) or {}
        return SavedData(bookmarks=self.runtime.article_summaries(self.state.bookmarks, self.state.lang),
                         numbers=dict(numbers))

    def settings(self, params: dict[str, str]) -> SettingsData:
        return SettingsData(
            languages=language_choices(),
            countries=self.runtime.list_countries(self.state.lang),
            installed=self.runtime.installed(),
            updates_set_up=server_url() is not None,
            last_verified=self.runtime.last_verified(),
        )

    def welcome(self) -> WelcomeData:
        return WelcomeData(languages=language_choices(), countries=self.runtime.list_countries(self.state.lang))

    def search(self, query: str, lang: str, limit: int) -> list[SearchHit]:
        return self.runtime.search(query, lang, country=self.state.country, limit=limit)


def routes(loaders: Loaders) -> list[ft.Route]:
    def article_route() -> ft.Route:
        return ft.Route(path="articles/:article_id", component=ArticleScreen, loader=loaders.article)

    def section(path: str, component, loader=None) -> ft.Route:
        return ft.Route(path=path, component=component, loader=loader, children=[article_route()])

    return [
        ft.Route(
            path="/",
            component=HomeScreen,
            loader=loaders.home,
            children=[
                section("topics/:topic_id", TopicScreen, loaders.topic),
                section("search", SearchScreen),
                ft.Route(path="contacts", component=ContactsScreen, loader=loaders.contacts),
                section("first-aid", FirstAidScreen, loaders.first_aid),
                section("services", ServicesScreen, loaders.services),
                section("saved", SavedScreen, loaders.saved),
                section("settings", SettingsScreen, loaders.settings),
                ft.Route(path="safety", component=SafetyScreen),
                article_route(),
                ft.Route(path=":missing+", component=NotFoundScreen),
            ],
        )
    ]


@ft.component
def App(state: AppState, env: Env, loaders: Loaders):
    """Re-renders (and re-runs the loaders) whenever the session's state changes."""
    if state.exited:
        return [neutral_view()]
    if not state.onboarded:
        data = loaders.welcome()
        return EnvContext(env, lambda: StateContext(state, lambda: [WelcomeScreen(env, state, data)]))

    def router():
        return ft.Router(routes(loaders), manage_views=True)

    return EnvContext(env, lambda: StateContext(state, router))


def build_main(runtime: Runtime) -> Callable[[ft.Page], None]:
    """The Flet `main(page)`; each browser tab is its own session with its own state."""

    def main(page: ft.Page) -> None:
        state = AppState()
        loaders = Loaders(runtime=runtime, state=state)
        actions = Actions(page=page, state=state, runtime=runtime)
        actions.start()
        page.render_views(App, state, Env(state=state, actions=actions, search=loaders.search), loaders)

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
