"""Everything a screen may read from the installed content, through one session.

A route loader opens one reader (`Runtime.reading()`), asks all its questions in it
and closes it, so a screen costs one session and sees one version of the content.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlmodel import Session

from app.content import queries
from app.content.dialling import ANYWHERE, Dialling
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
from app.content.search import search_articles

if TYPE_CHECKING:
    from app.content.freshness import Freshness


@dataclass(frozen=True)
class ContentReader:
    session: Session

    def list_topics(self, lang: str) -> list[TopicCard]:
        return queries.list_topics(self.session, lang=lang)

    def list_articles(self, topic_id: str, lang: str, countries: list[str] | None = None) -> list[ArticleSummary]:
        return queries.list_articles(self.session, topic_id=topic_id, lang=lang, countries=countries)

    def get_article(self, article_id: str, lang: str, country: str | None = None,
                    dialling: Dialling = ANYWHERE) -> ArticleDetail | None:
        return queries.get_article(self.session, article_id=article_id, lang=lang, country=country,
                                   dialling=dialling)

    def contacts(self, country: str, lang: str, dialling: Dialling = ANYWHERE) -> list[ContactCard]:
        return queries.contacts_for(self.session, country=country, lang=lang, dialling=dialling)

    def contacts_by_country(self, countries: list[str], lang: str,
                            dialling: Dialling = ANYWHERE) -> dict[str, list[ContactCard]]:
        return queries.contacts_by_country(self.session, countries=countries, lang=lang, dialling=dialling)

    def no_national_society(self, country: str, lang: str) -> str | None:
        return queries.no_national_society(self.session, country=country, lang=lang)

    def article_summaries(self, article_ids: list[str], lang: str) -> list[ArticleSummary]:
        return queries.article_summaries(self.session, article_ids=article_ids, lang=lang)

    def articles_of_kind(self, kind: str, lang: str, country: str | None = None) -> list[ArticleSummary]:
        return queries.articles_of_kind(self.session, kind=kind, lang=lang, country=country)

    def services_by_country(self, lang: str) -> list[ServiceGroup]:
        return queries.services_by_country(self.session, lang=lang)

    def active_notices(self, countries: list[str], lang: str, today: date) -> list[NoticeCard]:
        return queries.active_notices(self.session, countries=countries, lang=lang, today=today)

    def notices(self, countries: list[str], lang: str) -> list[NoticeCard]:
        return queries.notices_for(self.session, countries=countries, lang=lang)

    def list_languages(self) -> list[str]:
        return queries.list_languages(self.session)

    def list_countries(self, lang: str) -> list[CountryOption]:
        return queries.list_countries(self.session, lang=lang)

    def search(self, query: str, lang: str, country: str | None = None, limit: int = 20) -> list[SearchHit]:
        return search_articles(self.session.connection(), query=query, lang=lang, country=country, limit=limit)

    def installed(self) -> InstalledContent | None:
        return queries.installed(self.session)

    def freshness(self) -> Freshness:
        """When the newest checked timestamp was signed, and the signed expiry."""
        from app.content.freshness import read_freshness

        return read_freshness(self.session)
