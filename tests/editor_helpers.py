"""Shared by the content store tests: a migrated server database holding a small content set,
and the staff members who edit it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.content.bundle_format import item_path
from sync_server.db import engine_for, migrate_database
from sync_server.editor.store import Editor, import_items
from sync_server.staff.models import Role
from tests.factories import STAMP, valid_items

NP_ARTICLE = item_path("article", "nepal-help")
NP_TEXT = item_path("text", "nepal-help", "en")
NP_POLICE = item_path("contact", "np-police")
MY_EMERGENCY = item_path("contact", "my-emergency")
NP_NOTICE = item_path("notice", "np-floods")


def small_items() -> dict[str, dict]:
    """The factory set plus a Nepal article, contact and notice (every kind an NP editor edits)."""
    items = valid_items()
    items[NP_ARTICLE] = {
        "id": "nepal-help", "kind": "service", "topic_id": "prepare", "order": 2, "countries": ["NP"],
        "related": [], "contact_kinds": [], "source": "Nepal Red Cross Society (test)", "updated_at": STAMP,
    }
    items[NP_TEXT] = {
        "article_id": "nepal-help", "lang": "en", "title": "Help in Nepal", "summary": "",
        "body": "Ask the Nepal Red Cross Society before you go.", "reviewed": True, "updated_at": STAMP,
    }
    items[NP_POLICE] = {
        "id": "np-police", "country": "NP", "kind": "emergency", "services": ["police"], "phone": None,
        "short_number": "100", "website": None, "source": "libphonenumber short number metadata",
        "verified_on": "2026-11-23", "updated_at": STAMP, "texts": {"en": {"name": "Police", "note": ""}},
    }
    items[NP_NOTICE] = {
        "id": "np-floods", "severity": "warning", "starts": "2026-11-01", "ends": "2026-12-31", "example": False,
        "countries": ["NP"], "updated_at": STAMP, "texts": {"en": {"title": "Floods", "body": "Roads are closed."}},
    }
    return items


@dataclass(frozen=True)
class People:
    np_editor: Editor
    np_editor_2: Editor
    my_editor: Editor
    thai_reviewer: Editor
    caseworker: Editor
    admin: Editor


# Staff members as the store sees them (the store keeps no link to the account rows: ids suffice).
PEOPLE = People(
    np_editor=Editor(1, "np-editor@example.org", Role.editor, "NP", ()),
    np_editor_2=Editor(2, "np-editor-2@example.org", Role.editor, "NP", ()),
    my_editor=Editor(3, "my-editor@example.org", Role.editor, "MY", ()),
    thai_reviewer=Editor(4, "th-reviewer@example.org", Role.reviewer, "TH", ("th",)),
    caseworker=Editor(5, "case@example.org", Role.caseworker, "NP", ()),
    admin=Editor(6, "admin@example.org", Role.admin, None, ()),
)


def content_store(data) -> Engine:
    """A migrated server database in `data` (SQLite, or PostgreSQL when DATABASE_URL is set)
    holding small_items() as version 1."""
    engine = engine_for(data)
    migrate_database(engine)
    with Session(engine) as session:
        import_items(session, small_items())
    return engine
