"""Read-only shapes the views receive. Views never see a Session or a table row."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from app.content.source_kinds import contact_source_kind


# One topic card on the home screen.
@dataclass(frozen=True)
class TopicCard:
    id: str
    stage: str  # before_you_go | in_destination | coming_home | family_at_home | emergency
    icon: str
    title: str
    summary: str
    article_count: int


# One line in a list of articles.
@dataclass(frozen=True)
class ArticleSummary:
    id: str
    kind: str  # advice | what_if | first_aid | service | page
    title: str
    summary: str
    lang: str = ""  # the language the title and summary are in (English where not yet translated)


# A contact as shown on screen. `dial` is the number as stored (digits, or E.164); `tel`
# is the link a Call button opens, made only by schemas.tel_uri (None: no Call button).
@dataclass(frozen=True)
class ContactCard:
    id: str
    country: str
    kind: str  # emergency | national_society | rfl | hotline | embassy
    services: tuple[str, ...]  # emergency numbers: all | ambulance | police | fire | unknown
    name: str
    note: str
    dial: str | None
    tel: str | None
    website: str | None
    source: str
    verified_on: date
    note_lang: str = "en"  # the language `note` is in (English when not translated yet)
    # The National Society whose staff checked the number on `verified_on`, named in the
    # reader's language (its own contact's name); None when no Society has confirmed it.
    checked_by: str | None = None
    for_country: str | None = None  # an embassy: whose nationals it serves (ISO code)
    # A short number that rings only on a phone in this country (its own), while the person's
    # phone is elsewhere: `tel` is None (no Call button), the card says where it works.
    dial_only_in: str | None = None

    @property
    def source_kind(self) -> str:
        """How strong the source is (a ContactSourceKind value): the card says it in words."""
        return contact_source_kind(self.source)


# A whole article in one language, with what surrounds it.
@dataclass(frozen=True)
class ArticleDetail:
    id: str
    kind: str
    topic_id: str
    lang: str  # language the text is actually in
    is_fallback: bool  # True when the requested language was missing and English is shown
    reviewed: bool
    title: str
    summary: str
    body_markdown: str
    source: str
    updated_at: datetime
    related: list[ArticleSummary] = field(default_factory=list)
    contacts: list[ContactCard] = field(default_factory=list)
    contact_kinds: tuple[str, ...] = ()  # the kinds of contact the article sends people to
    countries: tuple[str, ...] = ()  # the countries the article is about (none: everywhere)
    # How far the shown translation can be trusted (translation_state: machine | stale |
    # reviewed); None when the text shown is the English original.
    translation: str | None = None


# One search result; `snippet` marks matches with <mark>…</mark>.
@dataclass(frozen=True)
class SearchHit:
    article_id: str
    kind: str
    lang: str
    title: str
    snippet: str
    rank: float


# What is installed, for the status line and Settings.
@dataclass(frozen=True)
class InstalledContent:
    version: int
    created_at: datetime
    installed_at: datetime
    expires_at: datetime | None


# Contacts of one country that a guide sends people to; `missing` are the kinds it asks
# for that have no checked contact there (the screen says what to do instead).
@dataclass(frozen=True)
class ContactGroup:
    country: str
    contacts: list[ContactCard]
    missing: tuple[str, ...] = ()
    no_national_society: str | None = None  # the country's own words where there is no National Society


# A country someone can pick, named in the reader's language.
@dataclass(frozen=True)
class CountryOption:
    code: str
    name: str
    roles: tuple[str, ...]  # origin | destination | transit


# An emergency notice in force for some countries.
@dataclass(frozen=True)
class NoticeCard:
    id: str
    severity: str  # info | warning | danger
    title: str
    body: str
    countries: tuple[str, ...]
    starts: date
    ends: date
    example: bool
    lang: str = "en"  # the language of title and body: the person's, or the source language


# The Red Cross / Red Crescent services of one country.
@dataclass(frozen=True)
class ServiceGroup:
    country: str
    country_name: str
    services: list[ArticleSummary]
