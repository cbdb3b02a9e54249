"""Who may change which content item: an editor their Society's country, a reviewer the texts
of their languages, an admin everything. One place decides; pages and the store ask it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.content.item_paths import item_kind, item_language, item_path
from sync_server.staff.models import Role
from sync_server.staff.sessions import CurrentStaff


# A staff member as the content store sees them. society None: an admin (every country).
@dataclass(frozen=True)
class Editor:
    account_id: int
    email: str
    role: Role
    society: str | None
    languages: tuple[str, ...]


def editor_from_staff(staff: CurrentStaff) -> Editor:
    """The logged-in staff member (sync_server/staff/web/deps.py) as an Editor."""
    account = staff.account
    role = Role(account.role)
    languages = tuple(code for code in (account.languages or "").split(",") if code)
    return Editor(account_id=account.id, email=account.email, role=role,
                  society=None if role == Role.admin else account.society, languages=languages)


def item_countries(path: str, item: Mapping | None, items: Mapping[str, Mapping]) -> set[str]:
    """The countries an item is about (empty: it applies everywhere). A text is about its
    article's countries, looked up in `items` (the current items, or at least that article)."""
    if item is None:
        return set()
    kind = item_kind(path)
    if kind == "text":
        article = items.get(item_path("article", str(item.get("article_id"))))
        return item_countries(item_path("article", "x"), article, items) if article else set()
    if kind in ("article", "notice"):
        return {str(code).upper() for code in item.get("countries") or []}
    if kind == "contact":
        return {str(item.get("country")).upper()}
    if kind == "country":
        return {str(item.get("code")).upper()}
    return set()  # languages, topics, request keys: every country's


def may_edit(editor: Editor, path: str, item: Mapping | None, items: Mapping[str, Mapping] | None = None) -> bool:
    """Whether `editor` may change the item at `path` (as `item`). For a text pass `items`
    (at least its article): without them its countries are unknown, so only an admin or a
    reviewer of its language may."""
    if editor.role == Role.admin:
        return True
    if editor.role not in (Role.editor, Role.reviewer):
        return False
    try:
        kind = item_kind(path)
    except KeyError:
        return False
    if kind == "text" and item_language(path) in editor.languages:
        return True
    if editor.role == Role.reviewer:
        return False
    return editor.society in item_countries(path, item, items or {})
