"""Turn bundle items into validated table rows and check every link between them.

Used twice: when a bundle is built from the source (so an editor sees the mistake
first) and when a phone installs it (so nothing unchecked ever reaches the content DB).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from pydantic import ValidationError
from sqlmodel import SQLModel

from app.content.item_paths import is_item_path, item_kind, item_path
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


def _check_links(rows: ContentRows) -> None:
    languages = {row.code for row in rows.languages}
    countries = {row.code for row in rows.countries}
    topics = {row.id for row in rows.topics}
    articles = {row.id for row in rows.articles}
    problems = []
    problems += [f"article {a.id}: topic {a.topic_id!r} does not exist" for a in rows.articles if a.topic_id not in topics]
    problems += [
        f"article {link.article_id}: related article {link.related_id!r} does not exist"
        for link in rows.article_links
        if link.related_id not in articles
    ]
    problems += [
        f"{owner}: country {code!r} is not in countries.yaml"
        for owner, code in [(f"article {r.article_id}", r.country) for r in rows.article_countries]
        + [(f"contact {r.id}", r.country) for r in rows.contacts]
        + [(f"embassy {r.id}", r.for_country) for r in rows.contacts if r.for_country is not None]
        + [(f"notice {r.notice_id}", r.country) for r in rows.notice_countries]
        if code not in countries
    ]
    problems += [
        f"text {t.lang}/{t.article_id}: no article with that id" for t in rows.article_texts if t.article_id not in articles
    ]
    problems += [
        f"{kind} text in {lang!r}: language is not in languages.yaml"
        for kind, lang in [("article", t.lang) for t in rows.article_texts]
        + [("topic", t.lang) for t in rows.topic_texts]
        + [("contact", t.lang) for t in rows.contact_texts]
        + [("notice", t.lang) for t in rows.notice_texts]
        + [("country", t.lang) for t in rows.country_texts]
        if lang not in languages
    ]
    societies = {c.country for c in rows.contacts if c.kind == ContactKind.national_society}
    problems += [
        f"contact {c.id}: checked_by {c.checked_by!r} has no National Society contact"
        for c in rows.contacts
        if c.checked_by is not None and c.checked_by not in societies
    ]
    english = {t.article_id for t in rows.article_texts if t.lang == SOURCE_LANGUAGE}
    problems += [f"article {a}: no English text" for a in sorted(articles - english)]
    if problems:
        raise ContentError("; ".join(sorted(set(problems))))


def _path_of(kind: str, item: dict) -> str:
    """Where an item of this content must live: its path names its kind, id and language."""
    if kind == "text":
        return item_path(kind, str(item.get("article_id")), str(item.get("lang")))
    key = {"language": "code", "country": "code", "request_key": "key_id"}.get(kind, "id")
    return item_path(kind, str(item.get(key)))


def build_rows(items: dict[str, dict]) -> ContentRows:
    """Validate every item and every link; raise ContentError naming each problem."""
    rows = ContentRows()
    for path in sorted(items):
        try:
            kind = item_kind(path)
        except KeyError:
            raise ContentError(f"{path}: unknown kind of item") from None
        item = items[path]
        if not is_item_path(path) or not isinstance(item, dict):
            raise ContentError(f"{path}: not an item path, or not an item")
        _ADDERS[kind](rows, _validated(ITEM_SCHEMAS[kind], item, path))  # field errors first: they say the most
        if _path_of(kind, item) != path:
            raise ContentError(f"{path}: the item's content does not belong at this path")
    _check_links(rows)
    return rows
