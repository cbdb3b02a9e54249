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
    /saved/documents[/<id>]             my documents (the document safe), and one of them
    /settings[/articles/<article>]      settings, about and privacy
    /safety                             what quick exit does
    /notices                            emergency notices for the person's countries, current and past
    /help[/tracing|contact-me|safe]     ask the Red Cross for help, and the three forms
    /help/requests                      my requests: status and date of each, never their contents
    /articles/<article>                 an article opened from a related link
    anything else                       "not found", above home

Before the first-launch questions are answered the app shows them instead of the
routes; after a quick exit it shows a neutral notes page until it is opened again.
Loaders (reads) and app/actions.py (writes) are the only doors to the Runtime.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import flet as ft

from app.actions import IMPORTANT_NUMBERS_KEY, Actions, server_url
from app.content.dialling import Dialling
from app.content.dto import ContactCard, SearchHit
from app.content.emergency import EmergencyCall, first_aid_call, home_calls
from app.content.guide_contacts import guide_contact_groups
from app.hidden_lock import LOCK_AFTER_HIDDEN_S, HiddenLock
from app.i18n import set_language, supported
from app.locale_data import country_name, language_choices
from app.starting import StartingRuntime
from app.state import AppState, StateContext
from app.storage.paths import ASSETS_DIR
from app.views.article import ArticleData, ArticleScreen
from app.views.common import Env, EnvContext
from app.views.contacts import ContactsData, ContactsScreen
from app.views.documents import DocumentData, DocumentRow, DocumentScreen, DocumentsData, DocumentsScreen
from app.views.error_screen import ErrorScreen
from app.views.first_aid import FirstAidData, FirstAidScreen
from app.views.help_requests import HelpScreen, RequestFormData, RequestFormScreen
from app.views.home import HomeData, HomeScreen
from app.views.lock import LockData, LockScreen
from app.views.my_requests import MyRequestsData, MyRequestsScreen, RequestRow
from app.views.neutral import neutral_view
from app.views.not_found import NotFoundScreen
from app.views.notices import NoticesData, NoticesScreen
from app.views.safety import SafetyScreen
from app.views.saved import SavedData, SavedScreen
from app.views.search import SearchScreen
from app.views.services import ServicesData, ServicesScreen
from app.views.settings import SettingsData, SettingsScreen
from app.views.topic import TopicData, TopicScreen
from app.views.welcome import WelcomeData, WelcomeScreen

if TYPE_CHECKING:
    from app.background_updates import BackgroundUpdates
    from app.content.reader import ContentReader
    from app.runtime import Runtime

log = logging.getLogger(__name__)


# Route loaders: the only place screens' data comes from; each reads in one session.
@dataclass(frozen=True)
class Loaders:
    runtime: Runtime
    state: AppState

    def _country_name(self) -> str | None:
        return country_name(self.state.country, self.state.lang) if self.state.country else None

    def _dialling(self) -> Dialling:
        """Where the person's phone is: only numbers that ring from there get a Call button."""
        return Dialling.of(role=self.state.role, country=self.state.country, origin=self.state.origin)

    def _emergency_contacts(self, content: ContentReader) -> list[ContactCard]:
        return content.contacts(self.state.country, self.state.lang, self._dialling()) if self.state.country else []

    def _emergency(self, content: ContentReader) -> EmergencyCall | None:
        """The ambulance (or the number for every emergency) where the person is."""
        return first_aid_call(self._emergency_contacts(content))

    def home(self, params: dict[str, str]) -> HomeData:
        s = self.state
        with self.runtime.reading() as content:
            freshness = content.freshness()
            return HomeData(
                topics=content.list_topics(s.lang),
                notices=content.active_notices(s.countries(), s.lang, s.today),
                emergency=home_calls(self._emergency_contacts(content)),
                country_name=self._country_name(),
                role=s.role,
                out_of_date=freshness.expired(datetime.now(timezone.utc)),
                last_verified=freshness.verified_at,
                updates_set_up=server_url() is not None,
            )

    def topic(self, params: dict[str, str]) -> TopicData:
        topic_id = params.get("topic_id", "")
        with self.runtime.reading() as content:
            topic = {t.id: t for t in content.list_topics(self.state.lang)}.get(topic_id)
            articles = content.list_articles(topic_id, self.state.lang, self.state.countries()) if topic else []
        return TopicData(topic=topic, articles=articles)

    def article(self, params: dict[str, str]) -> ArticleData:
        article_id = params.get("article_id", "")
        with self.runtime.reading() as content:
            dialling = self._dialling()
            article = content.get_article(article_id, self.state.lang, country=self.state.country, dialling=dialling)
            groups = guide_contact_groups(
                article, where=self.state.country, origin=self.state.origin,
                contacts_of=lambda code: content.contacts(code, self.state.lang, dialling),
                no_society=lambda code: content.no_national_society(code, self.state.lang),
            ) if article else []
            return ArticleData(article=article, emergency=self._emergency(content), country_name=self._country_name(),
                               contact_groups=[(country_name(g.country, self.state.lang), g) for g in groups])

    def contacts(self, params: dict[str, str]) -> ContactsData:
        lang = self.state.lang
        with self.runtime.reading() as content:
            countries = content.list_countries(lang)
            return ContactsData(
                countries=countries,
                contacts=content.contacts_by_country([c.code for c in countries], lang, self._dialling()),
                current=self.state.country,
            )

    def first_aid(self, params: dict[str, str]) -> FirstAidData:
        with self.runtime.reading() as content:
            return FirstAidData(
                tips=content.articles_of_kind("first_aid", self.state.lang, self.state.country),
                emergency=self._emergency(content),
                country_name=self._country_name(),
            )

    def services(self, params: dict[str, str]) -> ServicesData:
        with self.runtime.reading() as content:
            groups = content.services_by_country(self.state.lang)
        having = {g.country for g in groups}
        preferred = next((c for c in self.state.countries() if c in having), None)
        return ServicesData(groups=groups, preferred=preferred)

    def saved(self, params: dict[str, str]) -> SavedData:
        numbers = self.runtime.user.setting(IMPORTANT_NUMBERS_KEY, {}) or {}
        with self.runtime.reading() as content:
            bookmarks = content.article_summaries(self.state.bookmarks, self.state.lang)
        return SavedData(bookmarks=bookmarks, numbers=dict(numbers))

    def documents(self, params: dict[str, str]) -> DocumentsData:
        from app.document_words import megabytes
        from app.storage.backup import MAX_BACKUP_DOCUMENT_BYTES
        from app.storage.documents import MAX_DOCUMENTS, MAX_TOTAL_BYTES, DocumentsLocked

        safe = self.runtime.user.documents
        try:
            entries = safe.list()
        except DocumentsLocked:  # the lock screen is shown instead; nothing to list meanwhile
            entries = []
        use = safe.use()
        return DocumentsData(rows=[_document_row(e) for e in entries], count=use.count, max_count=MAX_DOCUMENTS,
                             used_mb=megabytes(use.total_bytes), max_mb=str(MAX_TOTAL_BYTES // (1024 * 1024)),
                             backup_mb=str(MAX_BACKUP_DOCUMENT_BYTES // (1024 * 1024)),
                             lock_on=self.runtime.user.lock_on)

    def document(self, params: dict[str, str]) -> DocumentData:
        from app.document_words import damaged_words, problem_words
        from app.storage.documents import DocumentDamaged, DocumentProblem

        document_id = params.get("document_id", "")
        try:
            entry, photo = self.runtime.user.documents.open(document_id)
        except DocumentDamaged as damaged:
            row = DocumentRow(id=document_id, name=damaged.name, added=None, megabytes="")
            return DocumentData(row=row, problem=damaged_words(damaged))
        except DocumentProblem as problem:  # missing (deleted in another tab), or locked
            return DocumentData(row=None, problem=problem_words(problem))
        return DocumentData(row=_document_row(entry), photo=photo)

    def notices(self, params: dict[str, str]) -> NoticesData:
        with self.runtime.reading() as content:
            every = content.notices(self.state.countries(), self.state.lang)
        today = self.state.today
        return NoticesData(current=[n for n in every if n.ends >= today], past=[n for n in every if n.ends < today])

    def request_form(self, params: dict[str, str]) -> RequestFormData:
        from app.help_requests.forms import FORMS, Kind

        try:
            kind = Kind(params.get("kind", ""))
        except ValueError:
            return RequestFormData(kind=None)
        specs = FORMS[kind]
        with self.runtime.reading() as content:
            countries = tuple(content.list_countries(self.state.lang))
        where, origin = self.state.country, self.state.origin
        defaults = {Kind.tracing: {"home_country": origin or where},
                    Kind.contact_me: {"country": where, "home_country": origin},
                    Kind.safe: {"country": where, "home_country": origin}}[kind]
        return RequestFormData(kind=kind.value, fields=tuple(s.name for s in specs),
                               optional=frozenset(s.name for s in specs if not s.required), countries=countries,
                               defaults={k: v for k, v in defaults.items() if v})

    def my_requests(self, params: dict[str, str]) -> MyRequestsData:
        rows = []
        for summary in self.runtime.user.outbox.summaries():
            status = summary.status if summary.state == "sent" else ("waiting" if summary.problem else summary.state)
            rows.append(RequestRow(id=summary.id, kind=summary.kind, status=status, problem=summary.problem,
                                   receipt=summary.receipt, updated_at=summary.updated_at, message=summary.message))
        return MyRequestsData(rows=rows)

    def settings(self, params: dict[str, str]) -> SettingsData:
        with self.runtime.reading() as content:
            countries = content.list_countries(self.state.lang)
            installed = content.installed()
            last_verified = content.freshness().verified_at
        return SettingsData(
            languages=language_choices(),
            countries=countries,
            installed=installed,
            updates_set_up=server_url() is not None,
            last_verified=last_verified,
        )

    def lock(self) -> LockData:
        """Only what the device key opens: the country's emergency numbers."""
        with self.runtime.reading() as content:
            return LockData(emergency=home_calls(self._emergency_contacts(content)), country_name=self._country_name())

    def welcome(self) -> WelcomeData:
        with self.runtime.reading() as content:
            return WelcomeData(languages=language_choices(), countries=content.list_countries(self.state.lang))

    def search(self, query: str, lang: str, limit: int) -> list[SearchHit]:
        with self.runtime.reading() as content:
            return content.search(query, lang, country=self.state.country, limit=limit)


def _document_row(entry) -> DocumentRow:
    from app.document_words import megabytes

    return DocumentRow(id=entry.id, name=entry.name, added=entry.added, megabytes=megabytes(entry.size))


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
                ft.Route(path="saved", component=SavedScreen, loader=loaders.saved, children=[
                    article_route(),
                    ft.Route(path="documents", component=DocumentsScreen, loader=loaders.documents, children=[
                        ft.Route(path=":document_id", component=DocumentScreen, loader=loaders.document),
                    ]),
                ]),
                section("settings", SettingsScreen, loaders.settings),
                ft.Route(path="safety", component=SafetyScreen),
                ft.Route(path="notices", component=NoticesScreen, loader=loaders.notices),
                ft.Route(path="help", component=HelpScreen, children=[
                    ft.Route(path="requests", component=MyRequestsScreen, loader=loaders.my_requests),
                    ft.Route(path=":kind", component=RequestFormScreen, loader=loaders.request_form),
                ]),
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
    if state.locked:
        data = loaders.lock()
        return EnvContext(env, lambda: StateContext(state, lambda: [LockScreen(env, state, data)]))
    if not state.onboarded:
        data = loaders.welcome()
        return EnvContext(env, lambda: StateContext(state, lambda: [WelcomeScreen(env, state, data)]))

    def router():
        return ft.Router(routes(loaders), manage_views=True)

    return EnvContext(env, lambda: StateContext(state, router))


def show_error_screen(page: ft.Page, home: Path) -> None:
    """The plain error screen: what happened, and the emergency numbers of the chosen country."""
    from app.emergency_fallback import emergency_contacts, saved_setting

    try:
        lang = supported(saved_setting(home, "language"))
        set_language(lang)
        country = saved_setting(home, "country")
        contacts = emergency_contacts(country, lang) or emergency_contacts(None, lang)
        page.render_views(ErrorScreen, contacts, lang)
    except Exception:  # the last resort failed too: the log is all that is left
        log.exception("the error screen could not be shown")


def try_again_after_repair(page: ft.Page, runtime: Runtime, main: Callable[[ft.Page], None]) -> None:
    """Start the session again, once, when the content check has replaced the content."""
    stops: list[Callable[[], None]] = []

    def again() -> None:
        while stops:
            stops.pop()()
        page.run_thread(main, page)  # in the session's own context

    stops.append(runtime.content.subscribe(again))


def build_main(
    runtime: Runtime | StartingRuntime, home: Path | None = None, updates: BackgroundUpdates | None = None,
    lock_after_hidden_s: float = LOCK_AFTER_HIDDEN_S,
) -> Callable[[ft.Page], None]:
    """The Flet `main(page)`; each browser tab is its own session with its own state.

    `updates` is the process's one update owner, shared by every session (a phone build
    makes its own here, led by the phone's connection type). Anything unexpected while a
    session starts shows the error screen, not a crash.
    """
    get_runtime = runtime.get if isinstance(runtime, StartingRuntime) else (lambda: runtime)
    data_home = home or runtime.home
    phone_build = updates is None
    if updates is None:
        updates = update_owner(get_runtime)
        updates.start()
    connectivity: list[object] = []  # the phone's connectivity service, made once and kept

    def main(page: ft.Page) -> None:
        opened: Runtime | None = None
        try:
            opened = get_runtime()
            if phone_build and not connectivity:
                from app.connectivity import follow_phone_connectivity
                from app.content.sync_policy import Network

                connectivity.append(follow_phone_connectivity(page, updates))
                if connectivity[0] is None:  # `flet run` on a desktop: its connection counts as unmetered
                    updates.set_network(Network.wifi)
            state = AppState()
            loaders = Loaders(runtime=opened, state=state)
            actions = Actions(page=page, state=state, runtime=opened, updates=updates,
                              hidden_lock=HiddenLock(lock_after_hidden_s))
            actions.start()
            page.render_views(App, state, Env(state=state, actions=actions, search=loaders.search), loaders)
        except Exception:
            log.exception("a session could not start")
            show_error_screen(page, data_home)
            if opened is not None:  # damaged content, perhaps: try again once the check repaired it
                try_again_after_repair(page, opened, main)
                opened.after_first_screen()
            return
        opened.after_first_screen()
        updates.first_screen_sent()

    return main


def update_owner(get_runtime: Callable[[], Runtime], *, interval: float | None = None,
                 network: str = "unknown") -> BackgroundUpdates:
    """The process's one background owner of update checks (not started yet)."""
    from app.background_updates import BackgroundUpdates
    from app.content.sync_policy import CheckSchedule, Network

    default = CheckSchedule()
    schedule = default if interval is None else CheckSchedule(interval=interval, first_check=min(default.first_check, interval))
    return BackgroundUpdates(get_runtime, server_url(), network=Network(network), schedule=schedule)


# Answers smaller than this gain less from gzip than its header costs; level 6 is zlib's
# usual balance of size and CPU.
WEB_GZIP_MIN_BYTES = 1024
WEB_GZIP_LEVEL = 6
# A photo picked for My documents travels over the app's websocket: at uvicorn's 16 MiB a photo
# of 20 MB vanished without a word. Larger messages arrive, so the app can say "too big"
# (app/storage/documents.py keeps at most 10 MB); past this, the browser is told the connection
# closed and reconnects.
WEB_SOCKET_MAX_BYTES = 64 * 1024 * 1024


# The page loads nothing from anywhere but this server: Flutter's engine would otherwise fetch
# an animation library it never uses from a public CDN at every start, telling that CDN who
# opened the app, and waiting on it offline. Flutter needs inline and evaluated scripts, and
# to compile its WebAssembly.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' blob:; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self' data: blob:; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'"
)


class OnlyOwnSources:
    """Every answer carries CONTENT_SECURITY_POLICY."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_policy(message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []),
                                      (b"content-security-policy", CONTENT_SECURITY_POLICY.encode())]
            await send(message)

        await self.app(scope, receive, with_policy)


def serve(runtime: Runtime | StartingRuntime, *, port: int, host: str = "127.0.0.1",
          sync_interval: float | None = None, network: str = "wifi",
          lock_after_hidden_s: float = LOCK_AFTER_HIDDEN_S) -> None:
    """Serve the app to web browsers on host:port, offline (no CDN), never opening a browser.

    Update checks run in the background from the start, whether or not a page is open;
    `network` is what the host's connection counts as for the data-use setting.
    """
    import uvicorn

    from app.web_client import PatchedClient, saved_language_reader
    from app.web_compression import CompressOnce

    os.environ.setdefault("FLET_FORCE_WEB_SERVER", "1")
    get_runtime = runtime.get if isinstance(runtime, StartingRuntime) else (lambda: runtime)
    updates = update_owner(get_runtime, interval=sync_interval, network=network)
    updates.start()
    try:
        web_app = ft.run(
            build_main(runtime, updates=updates, lock_after_hidden_s=lock_after_hidden_s),
            view=ft.AppView.WEB_BROWSER,
            no_cdn=True,
            assets_dir=str(ASSETS_DIR),
            export_asgi_app=True,
        )
        # The page speaks the person's language while the engine loads (app/web_client.py);
        # it patches what it sends before compression, so it goes in first (innermost).
        web_app.add_middleware(PatchedClient, saved_language=saved_language_reader(runtime.home))
        # The client's scripts, engine and fonts are most of a first load on a slow link:
        # compressed they are about a third of it (bench/bench_first_load.py), compressed once.
        web_app.add_middleware(CompressOnce, minimum_size=WEB_GZIP_MIN_BYTES, level=WEB_GZIP_LEVEL)
        web_app.add_middleware(OnlyOwnSources)
        uvicorn.run(web_app, host=host, port=port, ws="websockets-sansio", ws_max_size=WEB_SOCKET_MAX_BYTES,
                    log_level="warning")
    finally:
        updates.stop()
