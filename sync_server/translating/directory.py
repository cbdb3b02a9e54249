"""The network's programme directory: every National Society's migration programmes (articles of
kind `service`) with the country, who each serves, what it offers, the Society's contact and
when it was last updated; searched by words and country."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from app.content.item_paths import item_kind, item_path
from app.content.countries import country_name
from app.content.schemas import SOURCE_LANGUAGE
from sync_server.translating.checks import ContactRow, contacts

# The sections every programme article has (content/articles/service-*.md).
WHO = "Who it is for"
OFFERS = "What it offers"
_HEADING = re.compile(r"^##\s+(.+?)\s*$", re.MULTILINE)


# One programme as the directory shows it; `who` and `offers` are Markdown.
@dataclass(frozen=True)
class Programme:
    id: str
    countries: tuple[tuple[str, str], ...]  # (code, English name)
    title: str
    summary: str
    who: str
    offers: str
    society: ContactRow | None  # the National Society's contact in the programme's country
    updated: date
    body: str  # the whole English text, searched


def sections(body: str) -> dict[str, str]:
    """A Markdown body's `## ` sections, by heading."""
    parts = _HEADING.split(body)
    return {heading: text.strip() for heading, text in zip(parts[1::2], parts[2::2])}


def _updated(*items: dict) -> date:
    return max(datetime.fromisoformat(item["updated_at"]) for item in items).date()


def programmes(items: dict[str, dict]) -> list[Programme]:
    """Every programme, by country name then title."""
    societies = {row.country: row for row in contacts(items) if row.kind == "national_society"}
    found = []
    for path, article in items.items():
        if item_kind(path) != "article" or article.get("kind") != "service":
            continue
        text = items.get(item_path("text", article["id"], SOURCE_LANGUAGE))
        if text is None:
            continue
        codes = tuple(article.get("countries") or ())
        parts = sections(text["body"])
        found.append(Programme(
            id=article["id"], countries=tuple((code, country_name(code, "en")) for code in codes),
            title=text["title"], summary=text.get("summary", ""), who=parts.get(WHO, ""), offers=parts.get(OFFERS, ""),
            society=next((societies[code] for code in codes if code in societies), None),
            updated=_updated(article, text), body=text["body"],
        ))
    return sorted(found, key=lambda p: ([name for _, name in p.countries], p.title.casefold()))


def search(found: list[Programme], *, words: str = "", country: str = "") -> list[Programme]:
    """The programmes in `country` (a code; "" any) whose text holds every one of `words`."""
    wanted = words.casefold().split()
    kept = []
    for programme in found:
        if country and country not in {code for code, _ in programme.countries}:
            continue
        haystack = " ".join([programme.title, programme.summary, programme.body,
                             *(f"{code} {name}" for code, name in programme.countries)]).casefold()
        if all(word in haystack for word in wanted):
            kept.append(programme)
    return kept
