"""The running app's data side: opens both databases and answers the views' questions.

Views call these methods (through loaders); they never see a Session or SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.content import queries
from app.content.dto import (
    ArticleDetail,
    ArticleSummary,
    ContactCard,
    CountryOption,
    InstalledContent,
    NoticeCard,
    SearchHit,
    ServiceGroup,
    TopicCard,
)
from app.content.embedded import ensure_embedded_installed
from app.content.errors import Reason
from app.content.install import InstallResult
from app.content.fetch import HttpFetcher
from app.content.schemas import SOURCE_LANGUAGE
from app.content.search import search_articles
from app.content.sync import ProgressCallback, SyncResult, sync
from app.content.sync_policy import DEFAULT_DATA_USE, Network, may_sync
from app.storage import user_data
from app.storage.engines import open_content_engine, open_user_engine
from app.storage.paths import TRUSTED_ROOT_FILE, content_db, partial_downloads_dir, user_db

LAST_VERIFIED_KEY = "content_verified_at"


@dataclass
class Runtime:
    home: Path
    content_engine: Engine
    user_engine: Engine
    first_install: InstallResult

    @classmethod
    def open(cls, home: Path) -> "Runtime":
        """Open the data dir, installing the embedded bundle on first run."""
        home.mkdir(parents=True, exist_ok=True)
        result = ensure_embedded_installed(home)
        return cls(
            home=home,
            content_engine=open_content_engine(content_db(home)),
            user_engine=open_user_engine(user_db(home)),
            first_install=result,
        )

    def sync_languages(self) -> set[str]:
        """The phone's UI language, English, and any the user added."""
        extra = set(self.setting("extra_languages", []))
        return {self.setting("language", SOURCE_LANGUAGE), SOURCE_LANGUAGE} | extra

    def sync_now(
        self, client: httpx.Client, server_url: str, *, manual: bool, network: str = Network.unknown,
        progress: ProgressCallback | None = None,
    ) -> SyncResult:
        """Check the server for newer content and install it; the data-use setting decides."""
        installed = self.installed()
        version = installed.version if installed else None
        data_use = self.setting("data_use", DEFAULT_DATA_USE.value)
        if not may_sync(data_use, network, manual=manual):
            return SyncResult(Reason.updates_off, version, version, 0)
        fetcher = HttpFetcher(client, server_url, partial_dir=partial_downloads_dir(self.home))
        result = sync(self.home, fetcher, trusted_root=TRUSTED_ROOT_FILE.read_bytes(),
                      languages=self.sync_languages(), progress=progress)
        if result.status == "updated":
            # The content file was swapped: connections to the old one must go.
            self.content_engine.dispose()
            self.content_engine = open_content_engine(content_db(self.home))
        if result.status in ("updated", "up_to_date"):
            self.set_setting(LAST_VERIFIED_KEY, datetime.now(timezone.utc).isoformat())
        return result

    def last_verified(self) -> datetime | None:
        """When the server last confirmed, with valid signatures, that this content is current."""
        stamp = self.setting(LAST_VERIFIED_KEY)
        return datetime.fromisoformat(stamp) if stamp else None

    def server_answers(self, client: httpx.Client, server_url: str) -> bool:
        """True if the sync server answers now (one small request); never raises."""
        url = server_url.rstrip("/") + "/metadata/timestamp.json"
        try:
            return client.get(url).status_code == 200
        except httpx.HTTPError:
            return False

    def close(self) -> None:
        self.content_engine.dispose()
        self.user_engine.dispose()

    def _content(self) -> Session:
        return Session(self.content_engine)

    def _user(self) -> Session:
        return Session(self.user_engine)

    # Content (read-only)
    def list_topics(self, lang: str) -> list[TopicCard]:
        with self._content() as session:
            return queries.list_topics(session, lang=lang)

    def list_articles(self, topic_id: str, lang: str, countries: list[str] | None = None) -> list[ArticleSummary]:
        with self._content() as session:
            return queries.list_articles(session, topic_id=topic_id, lang=lang, countries=countries)

    def get_article(self, article_id: str, lang: str, country: str | None = None) -> ArticleDetail | None:
        with self._content() as session:
            return queries.get_article(session, article_id=article_id, lang=lang, country=country)

    def contacts(self, country: str, lang: str) -> list[ContactCard]:
        with self._content() as session:
            return queries.contacts_for(session, country=country, lang=lang)

    def article_summaries(self, article_ids: list[str], lang: str) -> list[ArticleSummary]:
        with self._content() as session:
            return queries.article_summaries(session, article_ids=article_ids, lang=lang)

    def articles_of_kind(self, kind: str, lang: str, country: str | None = None) -> list[ArticleSummary]:
        with self._content() as session:
            return queries.articles_of_kind(session, kind=kind, lang=lang, country=country)

    def services_by_country(self, lang: str) -> list[ServiceGroup]:
        with self._content() as session:
            return queries.services_by_country(session, lang=lang)

    def active_notices(self, countries: list[str], lang: str, today: date) -> list[NoticeCard]:
        with self._content() as session:
            return queries.active_notices(session, countries=countries, lang=lang, today=today)

    def list_languages(self) -> list[str]:
        with self._content() as session:
            return queries.list_languages(session)

    def list_countries(self, lang: str) -> list[CountryOption]:
        with self._content() as session:
            return queries.list_countries(session, lang=lang)

    def search(self, query: str, lang: str, country: str | None = None, limit: int = 20) -> list[SearchHit]:
        with self.content_engine.connect() as connection:
            return search_articles(connection, query=query, lang=lang, country=country, limit=limit)

    def installed(self) -> InstalledContent | None:
        with self._content() as session:
            return queries.installed(session)

    # User data
    def setting(self, key: str, default=None):
        with self._user() as session:
            return user_data.get_setting(session=session, key=key, default=default)

    def set_setting(self, key: str, value) -> None:
        with self._user() as session:
            user_data.set_setting(session=session, key=key, value=value)

    def bookmarks(self) -> list[str]:
        with self._user() as session:
            return user_data.list_bookmarks(session=session)

    def add_bookmark(self, article_id: str) -> None:
        with self._user() as session:
            user_data.add_bookmark(session=session, article_id=article_id)

    def remove_bookmark(self, article_id: str) -> None:
        with self._user() as session:
            user_data.remove_bookmark(session=session, article_id=article_id)
