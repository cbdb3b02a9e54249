"""The translation queue: per language, which articles are missing, machine-made and unchecked,
stale (the English changed after them) or reviewed — worked out from the content items alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.content.item_paths import item_kind, item_path
from app.content.schemas import SOURCE_LANGUAGE
from app.content.translation_state import TranslationState, text_item_state

# The order a translator works in: what a reader sees wrong first.
QUEUE_ORDER = (TranslationState.stale, TranslationState.machine, TranslationState.missing, TranslationState.reviewed)


# How far one language has come, in articles.
@dataclass(frozen=True)
class LanguageCounts:
    lang: str
    missing: int
    machine: int
    stale: int
    reviewed: int

    @property
    def total(self) -> int:
        return self.missing + self.machine + self.stale + self.reviewed


# One article in one language's queue.
@dataclass(frozen=True)
class QueueRow:
    article_id: str
    kind: str
    countries: tuple[str, ...]
    english_title: str
    state: TranslationState
    english_updated: date
    translation_updated: date | None


def _day(moment: str) -> date:
    return datetime.fromisoformat(moment).date()


def languages(items: dict[str, dict]) -> list[str]:
    """The content's languages other than English, in code order."""
    return sorted(item["code"] for path, item in items.items()
                  if item_kind(path) == "language" and item["code"] != SOURCE_LANGUAGE)


def _english_texts(items: dict[str, dict]) -> dict[str, dict]:
    return {item["article_id"]: item for path, item in items.items()
            if item_kind(path) == "text" and item["lang"] == SOURCE_LANGUAGE}


def queue(items: dict[str, dict], lang: str) -> list[QueueRow]:
    """Every article with an English text, in `lang`: stale first, then unchecked, then missing."""
    rows = []
    for article_id, english in _english_texts(items).items():
        article = items.get(item_path("article", article_id), {})
        translation = items.get(item_path("text", article_id, lang))
        rows.append(QueueRow(
            article_id=article_id, kind=article.get("kind", ""), countries=tuple(article.get("countries") or ()),
            english_title=english["title"], state=text_item_state(english, translation),
            english_updated=_day(english["updated_at"]),
            translation_updated=_day(translation["updated_at"]) if translation else None,
        ))
    return sorted(rows, key=lambda r: (QUEUE_ORDER.index(r.state), r.english_title.casefold(), r.article_id))


def language_counts(items: dict[str, dict]) -> list[LanguageCounts]:
    """Per language, how many articles are in each state (one pass over the items)."""
    english = _english_texts(items)
    counts = {lang: dict.fromkeys(TranslationState, 0) for lang in languages(items)}
    for lang, states in counts.items():
        for article_id, text in english.items():
            states[text_item_state(text, items.get(item_path("text", article_id, lang)))] += 1
    return [LanguageCounts(lang=lang, **{state.value: n for state, n in states.items()})
            for lang, states in counts.items()]
