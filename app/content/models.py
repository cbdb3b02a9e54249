"""The content model: every table of the content database, one family per entity.

Rows are only ever written by a bundle install (app/content/install.py). Validation
lives in the *Base classes, so `X.model_validate(raw)` refuses bad content with a
message that names the field.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import phonenumbers
from phonenumbers import shortnumberinfo
from pydantic import field_validator, model_validator
from sqlmodel import Field, SQLModel

from app.content.countries import is_known_country


class Stage(StrEnum):
    before_you_go = "before_you_go"
    in_destination = "in_destination"
    coming_home = "coming_home"
    family_at_home = "family_at_home"
    emergency = "emergency"


class ArticleKind(StrEnum):
    advice = "advice"
    what_if = "what_if"
    first_aid = "first_aid"
    service = "service"
    page = "page"


class ContactKind(StrEnum):
    emergency = "emergency"
    national_society = "national_society"
    rfl = "rfl"
    hotline = "hotline"
    embassy = "embassy"


class CountryRole(StrEnum):
    origin = "origin"
    destination = "destination"
    transit = "transit"


class Severity(StrEnum):
    info = "info"
    warning = "warning"
    danger = "danger"


def _country_code(value: str) -> str:
    code = value.strip().upper()
    if not is_known_country(code):
        raise ValueError(f"unknown country code {value!r} (expected ISO 3166 alpha-2, e.g. 'MY')")
    return code


# A language the content is written in (names come from Babel at display time).
class LanguageBase(SQLModel):
    code: str = Field(primary_key=True, min_length=2, max_length=8)


class Language(LanguageBase, table=True):
    pass


# A country of origin, transit or destination.
class CountryBase(SQLModel):
    code: str = Field(primary_key=True)
    roles: str = Field(description="comma-separated CountryRole values")

    @field_validator("code")
    @classmethod
    def _valid_code(cls, value: str) -> str:
        return _country_code(value)

    @field_validator("roles")
    @classmethod
    def _valid_roles(cls, value: str) -> str:
        roles = [r.strip() for r in value.split(",") if r.strip()]
        if not roles:
            raise ValueError("a country needs at least one role")
        return ",".join(CountryRole(r).value for r in roles)


class Country(CountryBase, table=True):
    # Set only where a country has no Red Cross or Red Crescent National Society.
    no_national_society_source: str | None = None


# Per-language text about a country: what to do where there is no National Society.
class CountryText(SQLModel, table=True):
    country: str = Field(primary_key=True, foreign_key="country.code")
    lang: str = Field(primary_key=True, foreign_key="language.code")
    no_national_society: str = Field(min_length=1)


# A topic card; topics group articles by journey stage.
class TopicBase(SQLModel):
    id: str = Field(primary_key=True)
    stage: Stage
    order: int = 0
    icon: str = "article"
    updated_at: datetime


class Topic(TopicBase, table=True):
    pass


# A topic's title and summary in one language.
class TopicText(SQLModel, table=True):
    topic_id: str = Field(primary_key=True, foreign_key="topic.id")
    lang: str = Field(primary_key=True, foreign_key="language.code")
    title: str = Field(min_length=1)
    summary: str = ""


# An article: advice message, "what if…" guide, first-aid tip, service or page.
class ArticleBase(SQLModel):
    id: str = Field(primary_key=True)
    kind: ArticleKind
    topic_id: str = Field(foreign_key="topic.id", index=True)
    order: int = 0
    source: str = Field(min_length=1)
    contact_kinds: str = Field(default="", description="comma-separated ContactKind values")
    updated_at: datetime

    @field_validator("contact_kinds")
    @classmethod
    def _valid_contact_kinds(cls, value: str) -> str:
        kinds = [k.strip() for k in value.split(",") if k.strip()]
        return ",".join(ContactKind(k).value for k in kinds)


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


# An article's text in one language; `reviewed` is False until a native reviewer signs off.
class ArticleTextBase(SQLModel):
    article_id: str = Field(primary_key=True, foreign_key="article.id")
    lang: str = Field(primary_key=True, foreign_key="language.code")
    title: str = Field(min_length=1)
    summary: str = ""
    body: str = Field(min_length=1)
    reviewed: bool = False
    updated_at: datetime


class ArticleText(ArticleTextBase, table=True):
    pass


# A phone contact: emergency short number, National Society, RFL, hotline or embassy.
class ContactBase(SQLModel):
    id: str = Field(primary_key=True)
    country: str = Field(foreign_key="country.code", index=True)
    kind: ContactKind
    phone: str | None = Field(default=None, description="E.164: + country code and number, no spaces")
    short_number: str | None = Field(default=None, description="a short code such as 999")
    website: str | None = None
    source: str = Field(min_length=1)
    verified_on: date
    updated_at: datetime

    @field_validator("country")
    @classmethod
    def _valid_country(cls, value: str) -> str:
        return _country_code(value)

    @field_validator("phone")
    @classmethod
    def _valid_e164(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            parsed = phonenumbers.parse(value, None)
        except phonenumbers.NumberParseException as error:
            raise ValueError(f"phone {value!r} is not an E.164 number: {error}") from None
        formatted = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        if formatted != value or not phonenumbers.is_valid_number(parsed):
            raise ValueError(f"phone {value!r} is not a valid E.164 number")
        return value

    @model_validator(mode="after")
    def _short_number_fits_country(self) -> "ContactBase":
        if self.short_number is not None:
            if not shortnumberinfo.is_valid_short_number_for_region(
                phonenumbers.parse(self.short_number, self.country), self.country
            ):
                raise ValueError(
                    f"short number {self.short_number!r} is not valid in {self.country}"
                )
        if self.phone is not None:
            region = phonenumbers.region_code_for_number(phonenumbers.parse(self.phone))
            if self.kind != ContactKind.embassy and region != self.country:
                raise ValueError(f"phone {self.phone!r} belongs to {region}, not {self.country}")
        return self


class Contact(ContactBase, table=True):
    pass


# A contact's name and note in one language.
class ContactText(SQLModel, table=True):
    contact_id: str = Field(primary_key=True, foreign_key="contact.id")
    lang: str = Field(primary_key=True, foreign_key="language.code")
    name: str = Field(min_length=1)
    note: str = ""


# An emergency notice for some countries, shown while it is in force.
class NoticeBase(SQLModel):
    id: str = Field(primary_key=True)
    severity: Severity
    starts: date
    ends: date
    example: bool = False
    updated_at: datetime

    @model_validator(mode="after")
    def _ends_after_start(self) -> "NoticeBase":
        if self.ends < self.starts:
            raise ValueError(f"notice {self.id} ends before it starts")
        return self


class Notice(NoticeBase, table=True):
    pass


# Countries a notice is for.
class NoticeCountry(SQLModel, table=True):
    notice_id: str = Field(primary_key=True, foreign_key="notice.id")
    country: str = Field(primary_key=True, foreign_key="country.code")


# A notice's title and body in one language.
class NoticeText(SQLModel, table=True):
    notice_id: str = Field(primary_key=True, foreign_key="notice.id")
    lang: str = Field(primary_key=True, foreign_key="language.code")
    title: str = Field(min_length=1)
    body: str = ""


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
