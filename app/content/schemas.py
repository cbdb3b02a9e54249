"""What each kind of content item must look like: one schema per item kind, no tables.

Both sides import this module: the publisher (and a future staff editor) to refuse bad
content before it is signed, the phone to refuse it again before it is installed. The
tables in app/content/models.py inherit the `*Base` classes below, so a row can only hold
what a schema accepted. Every rule here is plain pydantic: nothing reads a database,
a file or the network.

Item kinds and their schemas: language → LanguageItem, country → CountryItem,
topic → TopicItem, article → ArticleItem, text → TextItem, contact → ContactItem,
notice → NoticeItem, request_key → RequestKeyItem (see ITEM_SCHEMAS).
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from pydantic import field_validator, model_validator
from sqlmodel import Field, SQLModel

from app.content.body_links import ALLOWED_SCHEMES, unsafe_links
from app.content.countries import is_known_country
from app.content.remote_images import remote_images

# The language every item is written in first; other languages fall back to it.
SOURCE_LANGUAGE = "en"


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


class EmergencyService(StrEnum):
    """Who answers an emergency number. `unknown` says plainly that no source told us."""

    all = "all"  # one number for every emergency service
    ambulance = "ambulance"
    police = "police"
    fire = "fire"
    unknown = "unknown"


class CountryRole(StrEnum):
    origin = "origin"
    destination = "destination"
    transit = "transit"


class Severity(StrEnum):
    info = "info"
    warning = "warning"
    danger = "danger"


# ---- rules shared by several kinds ------------------------------------------------------

# A short code is dialled as written: digits only, no spaces, commas or extensions.
SHORT_NUMBER = re.compile(r"[0-9]{2,8}")
# E.164: "+", a country code and the number, at most 15 digits, nothing else.
E164 = re.compile(r"\+[1-9][0-9]{1,14}")


def tel_uri(number: str | None) -> str | None:
    """The one place a `tel:` link is made: only from a short code or an E.164 number.

    Anything else (a comma, an extension, letters, a tampered row) gives no link at all,
    so a Call button can never dial a number glued together from two."""
    if number is None:
        return None
    if SHORT_NUMBER.fullmatch(number) or E164.fullmatch(number):
        return f"tel:{number}"
    return None


def load_number_rules() -> None:
    """Load libphonenumber's data now. Reading installed content never needs it (so the app
    starts without it); whatever validates content calls this before it starts timing work."""
    import phonenumbers  # noqa: F401
    from phonenumbers import shortnumberinfo  # noqa: F401


def _country_code(value: str) -> str:
    code = value.strip().upper()
    if not is_known_country(code):
        raise ValueError(f"unknown country code {value!r} (expected ISO 3166 alpha-2, e.g. 'MY')")
    return code


def _joined(value: Any) -> Any:
    """Lists in an item are stored comma-separated in their table column."""
    if isinstance(value, (list, tuple)):
        return ",".join(str(v).strip() for v in value)
    return value


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


# ---- languages ----------------------------------------------------------------------------

# A language the content is written in (names come from Babel at display time).
class LanguageBase(SQLModel):
    code: str = Field(primary_key=True, min_length=2, max_length=8)


class LanguageItem(LanguageBase):
    pass


# ---- countries ----------------------------------------------------------------------------

# A country of origin, transit or destination.
class CountryBase(SQLModel):
    code: str = Field(primary_key=True)
    roles: str = Field(description="comma-separated CountryRole values")
    # Set only where a country has no Red Cross or Red Crescent National Society.
    no_national_society_source: str | None = None

    @field_validator("code")
    @classmethod
    def _valid_code(cls, value: str) -> str:
        return _country_code(value)

    @field_validator("roles", mode="before")
    @classmethod
    def _valid_roles(cls, value: Any) -> str:
        roles = _split(_joined(value) or "")
        if not roles:
            raise ValueError("a country needs at least one role")
        return ",".join(CountryRole(r).value for r in roles)


# What to do in a country where there is no National Society, in one language.
class CountryTextBase(SQLModel):
    no_national_society: str = Field(min_length=1)


class CountryItem(CountryBase):
    texts: dict[str, CountryTextBase] = {}


# ---- topics -------------------------------------------------------------------------------

# A topic card; topics group articles by journey stage.
class TopicBase(SQLModel):
    id: str = Field(primary_key=True)
    stage: Stage
    order: int = 0
    icon: str = "article"
    updated_at: datetime


# A topic's title and summary in one language.
class TopicTextBase(SQLModel):
    title: str = Field(min_length=1)
    summary: str = ""


class TopicItem(TopicBase):
    texts: dict[str, TopicTextBase] = {}


# ---- articles and their texts -------------------------------------------------------------

# An article: advice message, "what if…" guide, first-aid tip, service or page.
class ArticleBase(SQLModel):
    id: str = Field(primary_key=True)
    kind: ArticleKind
    topic_id: str = Field(foreign_key="topic.id", index=True)
    order: int = 0
    source: str = Field(min_length=1)
    contact_kinds: str = Field(default="", description="comma-separated ContactKind values")
    updated_at: datetime

    @field_validator("contact_kinds", mode="before")
    @classmethod
    def _valid_contact_kinds(cls, value: Any) -> str:
        return ",".join(ContactKind(k).value for k in _split(_joined(value) or ""))


class ArticleItem(ArticleBase):
    countries: list[str] = []  # none: the article applies everywhere
    related: list[str] = []

    @field_validator("countries")
    @classmethod
    def _valid_countries(cls, value: list[str]) -> list[str]:
        return [_country_code(code) for code in value]


# The longest article text accepted: today's longest is about 4,000 characters; a text past
# this is a mistake (a pasted file), and every phone would download it.
TEXT_BODY_MAX_CHARS = 100_000


# An article's text in one language; `reviewed` is False until a native reviewer signs off.
class ArticleTextBase(SQLModel):
    article_id: str = Field(primary_key=True, foreign_key="article.id")
    lang: str = Field(primary_key=True, foreign_key="language.code")
    title: str = Field(min_length=1)
    summary: str = ""
    body: str = Field(min_length=1)
    reviewed: bool = False
    updated_at: datetime

    @field_validator("body")
    @classmethod
    def _no_images_from_elsewhere(cls, value: str) -> str:
        if len(value) > TEXT_BODY_MAX_CHARS:  # before any parsing: never spend time on a pasted file
            raise ValueError(f"the text is {len(value):,} characters long; at most {TEXT_BODY_MAX_CHARS:,} are allowed")
        found = remote_images(value)
        if found:
            raise ValueError(f"images must not load from the network: {', '.join(found)}")
        links = unsafe_links(value)
        if links:
            raise ValueError(f"links must go to an in-app page or use {', '.join(ALLOWED_SCHEMES)}: {', '.join(links)}")
        return value


class TextItem(ArticleTextBase):
    pass


# ---- contacts -----------------------------------------------------------------------------

# A host name a browser cannot read as an IP address: dotted labels ending in a letter TLD
# ("2130706433", "0x7f.1" and "127.0.0.1" are all 127.0.0.1 to a browser).
_HOST_NAME = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})")


def https_website(value: str | None) -> str | None:
    """`value` if it is a plain https:// address, else None: never file:, javascript: or http:,
    no hidden characters (controls, zero-width, bidi: only printable ASCII), a host name
    (never an IP address), and no port but 443."""
    if value is None or not all("!" <= ch <= "~" for ch in value):
        return None
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:  # a port that is not a number, or past 65535
        return None
    host = parts.hostname or ""
    if parts.scheme != "https" or not _HOST_NAME.fullmatch(host) or port not in (None, 443):
        return None
    if parts.netloc.lower() not in (host, f"{host}:443"):  # user:password@, an empty port, …
        return None
    return value


def _https_only(value: str | None) -> str | None:
    if value is not None and https_website(value) is None:
        raise ValueError(f"website {value!r} must be a plain https:// address")
    return value


# A phone contact: emergency short number, National Society, RFL, hotline or embassy.
class ContactBase(SQLModel):
    id: str = Field(primary_key=True)
    country: str = Field(foreign_key="country.code", index=True)
    kind: ContactKind
    # For kind emergency only: comma-separated EmergencyService values.
    services: str = Field(default="", description="comma-separated EmergencyService values")
    phone: str | None = Field(default=None, description="E.164: + country code and number, no spaces")
    short_number: str | None = Field(default=None, description="a short code such as 999: digits only")
    website: str | None = Field(default=None, description="an https:// address")
    source: str = Field(min_length=1)
    verified_on: date
    # The National Society (its country's ISO code) whose staff checked the number on `verified_on`.
    checked_by: str | None = None
    # For kind embassy only: whose embassy it is (ISO code of the country whose nationals it serves).
    for_country: str | None = None
    updated_at: datetime

    @field_validator("country")
    @classmethod
    def _valid_country(cls, value: str) -> str:
        return _country_code(value)

    @field_validator("checked_by")
    @classmethod
    def _valid_society(cls, value: str | None) -> str | None:
        return None if value is None else _country_code(value)

    @field_validator("for_country")
    @classmethod
    def _valid_for_country(cls, value: str | None) -> str | None:
        return None if value is None else _country_code(value)

    @field_validator("services", mode="before")
    @classmethod
    def _valid_services(cls, value: Any) -> str:
        services = [EmergencyService(s) for s in _split(_joined(value) or "")]
        alone = {EmergencyService.all, EmergencyService.unknown}
        if len(services) > 1 and alone & set(services):
            raise ValueError("'all' and 'unknown' stand alone: they cannot be listed with other services")
        if len(set(services)) != len(services):
            raise ValueError("a service is listed twice")
        return ",".join(s.value for s in services)

    @field_validator("short_number")
    @classmethod
    def _digits_only(cls, value: str | None) -> str | None:
        if value is not None and not SHORT_NUMBER.fullmatch(value):
            raise ValueError(f"short number {value!r} must be 2 to 8 digits, nothing else (no spaces, commas or extensions)")
        return value

    @field_validator("phone")
    @classmethod
    def _valid_e164(cls, value: str | None) -> str | None:
        if value is None:
            return None
        import phonenumbers  # the number metadata is large: loaded only when a number is checked

        try:
            parsed = phonenumbers.parse(value, None)
        except phonenumbers.NumberParseException as error:
            raise ValueError(f"phone {value!r} is not an E.164 number: {error}") from None
        formatted = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        if not E164.fullmatch(value) or formatted != value or not phonenumbers.is_valid_number(parsed):
            raise ValueError(f"phone {value!r} is not a valid E.164 number")
        return value

    @field_validator("website")
    @classmethod
    def _valid_website(cls, value: str | None) -> str | None:
        return _https_only(value)

    @model_validator(mode="after")
    def _numbers_fit_kind_and_country(self) -> "ContactBase":
        import phonenumbers
        from phonenumbers import shortnumberinfo

        if self.kind == ContactKind.emergency:
            if not self.services:
                raise ValueError(
                    f"emergency contact {self.id}: 'services' is required "
                    f"({', '.join(s.value for s in EmergencyService)}; 'unknown' when no source says)"
                )
            # libphonenumber knows every country's emergency numbers, wherever a contact comes from.
            if self.short_number is None or not shortnumberinfo.is_emergency_number(self.short_number, self.country):
                raise ValueError(f"short number {self.short_number!r} is not an emergency number in {self.country}")
        elif self.services:
            raise ValueError(f"contact {self.id}: only emergency contacts have 'services'")
        # An embassy serves one country's nationals: the app shows it to them, and only to them.
        if self.kind == ContactKind.embassy and self.for_country in (None, self.country):
            raise ValueError(f"embassy {self.id}: 'for_country' must name whose embassy it is (not {self.country})")
        if self.kind != ContactKind.embassy and self.for_country is not None:
            raise ValueError(f"contact {self.id}: only embassies have 'for_country'")
        if self.phone is not None:
            region = phonenumbers.region_code_for_number(phonenumbers.parse(self.phone))
            if self.kind != ContactKind.embassy and region != self.country:
                raise ValueError(f"phone {self.phone!r} belongs to {region}, not {self.country}")
        return self

    def service_list(self) -> list[EmergencyService]:
        return [EmergencyService(s) for s in _split(self.services)]


# A contact's name and note in one language.
class ContactTextBase(SQLModel):
    name: str = Field(min_length=1)
    note: str = ""


class ContactItem(ContactBase):
    texts: dict[str, ContactTextBase] = {}


# ---- notices ------------------------------------------------------------------------------

# An emergency notice for some countries, shown while it is in force. `example` marks a
# notice made for tests or demonstrations: the content source refuses it, so none ships.
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


# A notice's title and body in one language.
class NoticeTextBase(SQLModel):
    title: str = Field(min_length=1)
    body: str = ""


class NoticeItem(NoticeBase):
    countries: list[str] = []
    texts: dict[str, NoticeTextBase] = {}

    @field_validator("countries")
    @classmethod
    def _valid_countries(cls, value: list[str]) -> list[str]:
        return [_country_code(code) for code in value]


# ---- request keys -------------------------------------------------------------------------

REQUEST_KEY_BYTES = 32  # an X25519 public key
_KEY_ID = re.compile(r"[0-9a-f]{16}")


def request_key_id(public_key: bytes) -> str:
    """A request key's id: the first 16 hex characters of the SHA-256 of the raw public key."""
    return hashlib.sha256(public_key).hexdigest()[:16]


# The server's public key that help requests are sealed to on the phone (X25519, PyNaCl
# SealedBox). It reaches phones only inside signed content; the newest `valid_from` is current.
class RequestKeyBase(SQLModel):
    key_id: str = Field(primary_key=True)
    public_key: str = Field(description="standard base64 of the 32-byte X25519 public key")
    valid_from: date

    @model_validator(mode="after")
    def _id_names_the_key(self) -> "RequestKeyBase":
        try:
            raw = base64.b64decode(self.public_key, validate=True)
        except ValueError:
            raise ValueError(f"request key {self.key_id}: public_key is not base64") from None
        if len(raw) != REQUEST_KEY_BYTES:
            raise ValueError(f"request key {self.key_id}: public_key must be {REQUEST_KEY_BYTES} bytes")
        if not _KEY_ID.fullmatch(self.key_id) or request_key_id(raw) != self.key_id:
            raise ValueError(f"request key {self.key_id}: key_id must be the first 16 hex characters "
                             f"of the SHA-256 of the public key ({request_key_id(raw)})")
        return self


class RequestKeyItem(RequestKeyBase):
    pass


ITEM_SCHEMAS: dict[str, type[SQLModel]] = {
    "language": LanguageItem,
    "country": CountryItem,
    "topic": TopicItem,
    "article": ArticleItem,
    "text": TextItem,
    "contact": ContactItem,
    "notice": NoticeItem,
    "request_key": RequestKeyItem,
}
