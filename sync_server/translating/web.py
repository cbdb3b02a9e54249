"""What the translating pages share: their templates, who may open them, and the content as the
store holds it."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Mapping

from babel import Locale
from fastapi import Depends, Request
from sqlmodel import Session

from sync_server.editor import store
from sync_server.staff.models import Role
from sync_server.staff.sessions import CurrentStaff
from sync_server.staff.web.deps import require
from sync_server.staff.web.templating import Pages
from sync_server.translating.rendering import markdown

_pages = Pages(Path(__file__).resolve().parent / "templates")

# Content pages: every role that works on content (a caseworker has none of them).
ContentStaff = Annotated[CurrentStaff, Depends(require(Role.editor, Role.reviewer, Role.admin))]
# The programme directory is for every staff member of the network.
AnyStaff = Annotated[CurrentStaff, Depends(require(*Role))]


def language_name(code: str) -> str:
    """A language's English name ("Nepali"), for the English-only staff pages."""
    try:
        return Locale.parse(code).get_display_name("en") or code
    except (ValueError, TypeError):
        return code


def may_translate(staff: CurrentStaff, lang: str) -> bool:
    """An admin, or a reviewer (or editor) whose account has this language (`user add --lang`)."""
    return staff.account.role == Role.admin or lang in store.editor_from_staff(staff).languages


def items(db: Session) -> dict[str, dict]:
    """The approved content: what phones get once it is published."""
    return store.current_items(db)


def version_of(db: Session, path: str) -> int:
    """The approved version of an item (0: none yet), which a change is made from."""
    current = store.current(db, path)
    return current.version if current else 0


def day(value: date | datetime | None) -> str:
    """A date as the staff pages write it: 23 Nov 2026."""
    return value.strftime("%d %b %Y") if value else ""


# Helpers every template of these pages may call.
_HELPERS = {"markdown": markdown, "day": day, "language_name": language_name}


def render(request: Request, name: str, context: Mapping[str, Any] | None = None, *, staff: CurrentStaff,
           status_code: int = 200):
    return _pages.render(request, name, {**_HELPERS, **(context or {})}, staff=staff, status_code=status_code)


def not_found(request: Request, staff: CurrentStaff):
    return render(request, "content_not_found.html", staff=staff, status_code=404)
