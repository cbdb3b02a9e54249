"""Turn bundle items into validated table rows and check every link between them.

Used twice: when a bundle is built from the source (so an editor sees the mistake
first) and when a phone installs it (so nothing unchecked ever reaches the content DB).
The server (staff edits, publishing) applies the same rules with `check_items`, which makes
no table rows and remembers the items it found valid.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Callable

from pydantic import ValidationError
from sqlmodel import SQLModel

from app.content.item_paths import encode_item, is_item_path, item_kind, item_path
from app.content.errors import ContentError
from app.content.models import (
    Article,
    ArticleCountry,
    ArticleLink,
    ArticleText,
    Contact,
    ContactText,
    Country,
    CountryText,
    Language,
    Notice,
    NoticeCountry,
    NoticeText,
    RequestKey,
    SearchSynonym,
    Topic,
    TopicText,
)
from app.content.schemas import (
    ITEM_SCHEMAS,
    SOURCE_LANGUAGE,
    ArticleItem,
    ContactItem,
    ContactKind,
    CountryItem,
    LanguageItem,
    NoticeItem,
    RequestKeyItem,
    TextItem,
    TopicItem,
    load_number_rules,
)

load_number_rules()  # with the installer's imports, never in the middle of an install


# Rows ready to insert, in an order that satisfies the foreign keys.
@dataclass
class ContentRows:
    languages: list[Language] = field(default_factory=list)
    search_synonyms: list[SearchSynonym] = field(default_factory=list)
    countries: list[Country] = field(default_factory=list)
    country_texts: list[CountryText] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    topic_texts: list[TopicText] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    article_countries: list[ArticleCountry] = field(default_factory=list)
    article_links: list[ArticleLink] = field(default_factory=list)
    article_texts: list[ArticleText] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    contact_texts: list[ContactText] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    notice_countries: list[NoticeCountry] = field(default_factory=list)
    notice_texts: list[NoticeText] = field(default_factory=list)
    request_keys: list[RequestKey] = field(default_factory=list)

    def tables_in_insert_order(self) -> list[tuple[type[SQLModel], list[SQLModel]]]:
        """(model, rows) per table, parents before children, for bulk inserts."""
        return [(group[0].__class__, group) for group in self.__dict__.values() if group]


def _validated(schema: type[SQLModel], data: dict[str, Any], where: str) -> Any:
    try:
        return schema.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in problem['loc']) or 'item'}: {problem['msg']}"
            for problem in error.errors()
        )
        raise ContentError(f"{where}: {problems}") from None


def _row(table: type[SQLModel], item: SQLModel, **extra: Any) -> Any:
    """A table row from the fields a schema has checked (`model_validate` builds table rows
    several times faster than the constructor, and the checks are cheap the second time)."""
    fields = {name: getattr(item, name) for name in table.model_fields if name in type(item).model_fields}
    return table.model_validate({**fields, **extra})


def _add_language(rows: ContentRows, item: LanguageItem) -> None:
    rows.languages.append(_row(Language, item))
    for group_no, group in enumerate(item.search_synonyms):
        rows.search_synonyms += [SearchSynonym(lang=item.code, word=word.casefold(), group_no=group_no)
                                 for word in dict.fromkeys(group)]


def _add_country(rows: ContentRows, item: CountryItem) -> None:
    rows.countries.append(_row(Country, item))
    for lang, text in item.texts.items():
        rows.country_texts.append(_row(CountryText, text, country=item.code, lang=lang))


def _add_topic(rows: ContentRows, item: TopicItem) -> None:
    rows.topics.append(_row(Topic, item))
    for lang, text in item.texts.items():
        rows.topic_texts.append(_row(TopicText, text, topic_id=item.id, lang=lang))


def _add_article(rows: ContentRows, item: ArticleItem) -> None:
    rows.articles.append(_row(Article, item))
    for country in item.countries:
        rows.article_countries.append(ArticleCountry(article_id=item.id, country=country))
    for position, related in enumerate(item.related):
        rows.article_links.append(ArticleLink(article_id=item.id, related_id=related, position=position))


def _add_text(rows: ContentRows, item: TextItem) -> None:
    rows.article_texts.append(_row(ArticleText, item))


def _add_contact(rows: ContentRows, item: ContactItem) -> None:
    rows.contacts.append(_row(Contact, item))
    for lang, text in item.texts.items():
        rows.contact_texts.append(_row(ContactText, text, contact_id=item.id, lang=lang))


def _add_notice(rows: ContentRows, item: NoticeItem) -> None:
    rows.notices.append(_row(Notice, item))
    for country in item.countries:
        rows.notice_countries.append(NoticeCountry(notice_id=item.id, country=country))
    for lang, text in item.texts.items():
        rows.notice_texts.append(_row(NoticeText, text, notice_id=item.id, lang=lang))


def _add_request_key(rows: ContentRows, item: RequestKeyItem) -> None:
    rows.request_keys.append(_row(RequestKey, item))


_ADDERS: dict[str, Callable[[ContentRows, Any], None]] = {
    "language": _add_language,
    "country": _add_country,
    "topic": _add_topic,
    "article": _add_article,
    "text": _add_text,
    "contact": _add_contact,
    "notice": _add_notice,
    "request_key": _add_request_key,
}


def _check_links(valid: dict[str, list[Any]]) -> None:
    """Every link between validated items (kind → validated schema items) must land."""
    def of(kind: str) -> list[Any]:
        return valid.get(kind, [])

    languages = {item.code for item in of("language")}
    countries = {item.code for item in of("country")}
    topics = {item.id for item in of("topic")}
    articles = {item.id for item in of("article")}
    problems = []
    problems += [f"article {a.id}: topic {a.topic_id!r} does not exist" for a in of("article") if a.topic_id not in topics]
    problems += [
        f"article {a.id}: related article {related!r} does not exist"
        for a in of("article") for related in a.related if related not in articles
    ]
    problems += [
        f"{owner}: country {code!r} is not in countries.yaml"
        for owner, code in [(f"article {a.id}", code) for a in of("article") for code in a.countries]
        + [(f"contact {c.id}", c.country) for c in of("contact")]
        + [(f"embassy {c.id}", c.for_country) for c in of("contact") if c.for_country is not None]
        + [(f"notice {n.id}", code) for n in of("notice") for code in n.countries]
        if code not in countries
    ]
    problems += [f"text {t.lang}/{t.article_id}: no article with that id" for t in of("text") if t.article_id not in articles]
    problems += [
        f"{kind} text in {lang!r}: language is not in languages.yaml"
        for kind, lang in [("article", t.lang) for t in of("text")]
        + [(kind, lang) for kind in ("topic", "contact", "notice", "country") for item in of(kind) for lang in item.texts]
        if lang not in languages
    ]
    societies = {c.country for c in of("contact") if c.kind == ContactKind.national_society}
    problems += [
        f"contact {c.id}: checked_by {c.checked_by!r} has no National Society contact"
        for c in of("contact")
        if c.checked_by is not None and c.checked_by not in societies
    ]
    english = {t.article_id for t in of("text") if t.lang == SOURCE_LANGUAGE}
    problems += [f"article {a}: no English text" for a in sorted(articles - english)]
    if problems:
        raise ContentError("; ".join(sorted(set(problems))))


def _path_of(kind: str, item: dict) -> str:
    """Where an item of this content must live: its path names its kind, id and language."""
    if kind == "text":
        return item_path(kind, str(item.get("article_id")), str(item.get("lang")))
    key = {"language": "code", "country": "code", "request_key": "key_id"}.get(kind, "id")
    return item_path(kind, str(item.get(key)))


def _valid_item(path: str, item: Any) -> tuple[str, Any]:
    """(kind, the item validated by its kind's schema); ContentError naming the problem."""
    try:
        kind = item_kind(path)
    except KeyError:
        raise ContentError(f"{path}: unknown kind of item") from None
    if not is_item_path(path) or not isinstance(item, dict):
        raise ContentError(f"{path}: not an item path, or not an item")
    valid = _validated(ITEM_SCHEMAS[kind], item, path)  # field errors first: they say the most
    if _path_of(kind, item) != path:
        raise ContentError(f"{path}: the item's content does not belong at this path")
    return kind, valid


def build_rows(items: dict[str, dict]) -> ContentRows:
    """Validate every item and every link; raise ContentError naming each problem."""
    rows = ContentRows()
    valid: dict[str, list[Any]] = {}
    for path in sorted(items):
        kind, item = _valid_item(path, items[path])
        _ADDERS[kind](rows, item)
        valid.setdefault(kind, []).append(item)
    _check_links(valid)
    return rows


# Items already found valid, by SHA-256 of their path and canonical bytes: a server checks the
# whole set at every edit and every publish, and almost every item is the same as last time.
_KNOWN_VALID: dict[str, Any] = {}
_KNOWN_VALID_KEPT = 200_000  # then the cache starts again


def check_items(items: Mapping[str, dict | bytes], *, sha256: Mapping[str, str] | None = None) -> None:
    """Exactly build_rows' rules (every item, every link) without making table rows: for the
    server, which checks and signs but never installs. An item may be given as its canonical
    bytes (`encode_item`), with their SHA-256 in `sha256` if the caller has it; one seen before
    with the same path and bytes is not validated again."""
    valid: dict[str, list[Any]] = {}
    for path in sorted(items):
        value = items[path]
        data = value if isinstance(value, bytes) else encode_item(value)
        digest = sha256.get(path) if sha256 is not None and isinstance(value, bytes) else None
        key = f"{path}\0{digest or hashlib.sha256(data).hexdigest()}"
        known = _KNOWN_VALID.get(key)
        if known is None:
            try:
                parsed = json.loads(data) if isinstance(value, bytes) else value
            except ValueError:
                raise ContentError(f"{path}: not an item path, or not an item") from None
            known = _valid_item(path, parsed)
            if len(_KNOWN_VALID) >= _KNOWN_VALID_KEPT:
                _KNOWN_VALID.clear()
            _KNOWN_VALID[key] = known
        valid.setdefault(known[0], []).append(known[1])
    _check_links(valid)
