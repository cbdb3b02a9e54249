"""The content database: one table per entity, built on the schemas of app/content/schemas.py.

Rows are only ever written by a bundle install (app/content/install.py), from items the
schemas accepted (app/content/rows.py). The rules live in the schemas, so the publisher,
the phone and a future staff editor all check the same ones.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.content.schemas import (
    ArticleBase,
    ArticleKind,
    ArticleTextBase,
    ContactBase,
    ContactKind,
    ContactTextBase,
    CountryBase,
    CountryRole,
    CountryTextBase,
    EmergencyService,
    LanguageBase,
    NoticeBase,
    NoticeTextBase,
    RequestKeyBase,
    Severity,
    Stage,
    TopicBase,
    TopicTextBase,
)

# Re-exported: code that reads tables often needs their enums too.
__all__ = [
    "ArticleKind", "ContactKind", "CountryRole", "EmergencyService", "Severity", "Stage",
    "Language", "SearchSynonym", "Country", "CountryText", "Topic", "TopicText", "Article", "ArticleCountry", "ArticleLink",
    "ArticleText", "Contact", "ContactText", "Notice", "NoticeCountry", "NoticeText",
    "RequestKey", "InstalledBundle", "BundleItem", "TrustedMetadata",
]


# A language the content is written in.
class Language(LanguageBase, table=True):
    pass


# One word of a search synonym group (see schemas.LanguageItem.search_synonyms).
class SearchSynonym(SQLModel, table=True):
    lang: str = Field(primary_key=True, foreign_key="language.code")
    word: str = Field(primary_key=True, description="casefolded")
    group_no: int = Field(primary_key=True)


# A country of origin, transit or destination.
class Country(CountryBase, table=True):
    pass


# Per-language text about a country: what to do where there is no National Society.
class CountryText(CountryTextBase, table=True):
    country: str = Field(primary_key=True, foreign_key="country.code")
    lang: str = Field(primary_key=True, foreign_key="language.code")


# A topic card.
class Topic(TopicBase, table=True):
    pass


# A topic's title and summary in one language.
class TopicText(TopicTextBase, table=True):
    topic_id: str = Field(primary_key=True, foreign_key="topic.id")
    lang: str = Field(primary_key=True, foreign_key="language.code")


# An article (its texts are in ArticleText).
class Article(ArticleBase, table=True):
    pass


# Countries an article is about; an article with none applies everywhere.
class ArticleCountry(SQLModel, table=True):
    article_id: str = Field(primary_key=True, foreign_key="article.id")
    country: str = Field(primary_key=True, foreign_key="country.code", index=True)


# A link from one article to another.
class ArticleLink(SQLModel, table=True):
    article_id: str = Field(primary_key=True, foreign_key="article.id")
    related_id: str = Field(primary_key=True, foreign_key="article.id")
    position: int = 0


# An article's text in one language.
class ArticleText(ArticleTextBase, table=True):
    pass


# A phone contact.
class Contact(ContactBase, table=True):
    pass


# A contact's name and note in one language.
class ContactText(ContactTextBase, table=True):
    contact_id: str = Field(primary_key=True, foreign_key="contact.id")
    lang: str = Field(primary_key=True, foreign_key="language.code")


# An emergency notice for some countries.
class Notice(NoticeBase, table=True):
    pass


# Countries a notice is for.
class NoticeCountry(SQLModel, table=True):
    notice_id: str = Field(primary_key=True, foreign_key="notice.id")
    country: str = Field(primary_key=True, foreign_key="country.code")


# A notice's title and body in one language.
class NoticeText(NoticeTextBase, table=True):
    notice_id: str = Field(primary_key=True, foreign_key="notice.id")
    lang: str = Field(primary_key=True, foreign_key="language.code")


# A public key of the server that help requests are sealed to (see schemas.RequestKeyBase).
class RequestKey(RequestKeyBase, table=True):
    pass


# The one installed bundle: which signed version the rows above came from.
class InstalledBundle(SQLModel, table=True):
    id: int = Field(default=1, primary_key=True)
    version: int
    format: int
    created_at: datetime
    installed_at: datetime
    expires_at: datetime | None = None


# One installed item exactly as it was signed, so an update can rebuild from it.
class BundleItem(SQLModel, table=True):
    path: str = Field(primary_key=True)
    sha256: str
    data: bytes


# Verified metadata of the installed version (root, timestamp, snapshot…), kept for the
# next update's rollback checks.
class TrustedMetadata(SQLModel, table=True):
    role: str = Field(primary_key=True)
    data: bytes
