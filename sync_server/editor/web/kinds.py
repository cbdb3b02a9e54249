"""The content lists staff pick from: which items each list holds and what its rows show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

from app.content.item_paths import item_path
from sync_server.editor import store

HELP_PAGE_PREFIX = "help-in-"


@dataclass(frozen=True)
class ListKind:
    slug: str
    title: str
    about: str
    columns: tuple[str, ...]
    holds: Callable[[str, dict], bool]


def _article_of(kind_test: Callable[[dict], bool]) -> Callable[[str, dict], bool]:
    return lambda path, item: path.startswith("article/") and kind_test(item)


def _is_help_page(item: dict) -> bool:
    return str(item.get("id", "")).startswith(HELP_PAGE_PREFIX)


LISTS = (
    ListKind("articles", "Articles", "Advice, \"what if\" guides and first aid: the texts people read on their phone.",
             ("Title", "Countries", "Last change"),
             _article_of(lambda item: item.get("kind") != "service" and not _is_help_page(item))),
    ListKind("help-pages", "Where to get help, per country",
             "Each country's page of emergency numbers, the National Society and where to find help.",
             ("Title", "Countries", "Last change"), _article_of(_is_help_page)),
    ListKind("programmes", "Red Cross and Red Crescent services (programmes)",
             "What each National Society offers migrants and their families.",
             ("Title", "Countries", "Last change"), _article_of(lambda item: item.get("kind") == "service")),
    ListKind("contacts", "Contacts", "Emergency numbers, National Societies, family tracing (RFL), hotlines and embassies.",
             ("Name", "Country", "Number", "Checked on"), lambda path, item: path.startswith("contact/")),
    ListKind("notices", "Emergency notices", "Short warnings shown on the home screen in some countries for some days.",
             ("Title", "Countries", "Severity", "Days"), lambda path, item: path.startswith("notice/")),
)
BY_SLUG = {kind.slug: kind for kind in LISTS}


@dataclass(frozen=True)
class Row:
    path: str  # whose versions the list links to (an article's: its English text)
    title: str
    edit_url: str
    details: tuple[tuple[str, str], ...]


def languages(items: Mapping[str, dict]) -> list[str]:
    """The content's languages, English first."""
    codes = sorted(item["code"] for path, item in items.items() if path.startswith("language/"))
    return ["en", *[code for code in codes if code != "en"]]


def article_text_paths(editor: store.Editor, article_id: str) -> list[str]:
    return [item_path("text", article_id, lang) for lang in dict.fromkeys(("en", *editor.languages))]


def editable(editor: store.Editor, path: str, item: dict, items: Mapping[str, dict]) -> bool:
    """Whether the editor can change this listed item: for an article, one of its texts."""
    if path.startswith("article/"):
        return any(store.may_edit(editor, text_path, items.get(text_path) or {"article_id": item["id"]}, items)
                   for text_path in article_text_paths(editor, item["id"]))
    return store.may_edit(editor, path, item, items)


def _english(item: dict, field: str) -> str:
    texts = item.get("texts", {})
    return (texts.get("en") or next(iter(texts.values()), {})).get(field, "") or item.get("id", "")


def row(kind: ListKind, path: str, item: dict, items: Mapping[str, dict], lang: str = "en") -> Row:
    if path.startswith("article/"):
        text = items.get(item_path("text", item["id"], "en"), {})
        return Row(item_path("text", item["id"], lang), text.get("title") or item["id"],
                   f"/staff/content/article/{item['id']}?lang={lang}",
                   (("Countries", ", ".join(item.get("countries", [])) or "all"),
                    ("Last change", str(item.get("updated_at", ""))[:10])))
    if path.startswith("contact/"):
        number = item.get("phone") or item.get("short_number") or "none confirmed"
        return Row(path, _english(item, "name"), f"/staff/content/contact/{item['id']}",
                   (("Country", item["country"]), ("Number", number), ("Checked on", item.get("verified_on", ""))))
    return Row(path, _english(item, "title"), f"/staff/content/notice/{item['id']}",
               (("Countries", ", ".join(item.get("countries", []))), ("Severity", item.get("severity", "")),
                ("Days", f"{item.get('starts', '')} to {item.get('ends', '')}")))


def rows(kind: ListKind, editor: store.Editor, items: Mapping[str, dict]) -> list[Row]:
    # A reviewer edits the texts of their languages: their lists open those.
    lang = editor.languages[0] if editor.role == "reviewer" and editor.languages else "en"
    found = [row(kind, path, item, items, lang) for path, item in items.items()
             if kind.holds(path, item) and editable(editor, path, item, items)]
    return sorted(found, key=lambda r: r.title.casefold())
