"""The content store: the server database is the one source of truth for content.

Staff propose a change to one item (a draft); a second person approves it (four eyes) and
it becomes the item's next version; the publisher signs `current_items`. Every change is
checked with the rules `make bundle` applies, on the whole set it would make, both when it is
proposed and when it is approved. Versions only go forward: a restore is a new draft holding
an old version's item. Every propose, approve, reject and restore is in the audit log.
"""

from __future__ import annotations

import difflib
import json
import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

import yaml
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.content.item_paths import encode_item, is_item_path, item_kind, item_path
from sync_server.editor.errors import (
    EditRefused,
    FourEyes,
    NoSuchChange,
    NotAllowed,
    StaleChange,
    StoreNotEmpty,
)
from sync_server.editor.models import ContentChange, ContentItem, ContentVersion, utcnow
from sync_server.editor.permissions import Editor, editor_from_staff, item_countries, may_edit
from sync_server.editor.validation import check_candidate
from sync_server.staff import audit
from sync_server.staff.models import AuditEntry

__all__ = [
    "Change", "EditRefused", "Editor", "FourEyes", "ItemVersion", "NoSuchChange", "NotAllowed", "StaleChange",
    "StoreNotEmpty", "approve", "changes_by", "current", "has_pending_change", "current_encoded", "current_items", "editor_from_staff", "export_source", "has_content",
    "history", "import_items", "import_source", "item_countries", "item_diff", "may_edit", "needs_second_person", "pending",
    "propose", "reject", "restore",
]

logger = logging.getLogger(__name__)

# Which kinds need a second person: contacts and notices always; the rest unless the server says
# SAFE_JOURNEY_FOUR_EYES=contacts_and_notices (default "all").
FOUR_EYES_ENV = "SAFE_JOURNEY_FOUR_EYES"
ALWAYS_TWO_PEOPLE = ("contact", "notice")
REASON_MAX = 2000

Status = Literal["pending", "approved", "rejected"]


# One approved version of one item; item None: the item was deleted.
@dataclass(frozen=True)
class ItemVersion:
    path: str
    version: int
    item: dict | None
    change_id: int | None
    author_email: str | None
    approved_by_email: str | None
    created_at: datetime


# A staff member's draft of one item and what became of it.
@dataclass(frozen=True)
class Change:
    id: int
    path: str
    base_version: int
    item: dict | None
    author_email: str
    status: Status
    reviewer_email: str | None
    reason: str
    created_at: datetime
    decided_at: datetime | None
    restores_version: int | None
    note: str = ""


def _loads(text: str | None) -> dict | None:
    return None if text is None else json.loads(text)


def _dumps(item: dict | None) -> str | None:
    return None if item is None else encode_item(item).decode("utf-8")


def _version(row: ContentVersion) -> ItemVersion:
    return ItemVersion(path=row.path, version=row.version, item=_loads(row.item), change_id=row.change_id,
                       author_email=row.author_email, approved_by_email=row.approved_by_email,
                       created_at=row.created_at)


def _change(row: ContentChange) -> Change:
    return Change(id=row.id, path=row.path, base_version=row.base_version, item=_loads(row.item),
                  author_email=row.author_email, status=row.status, reviewer_email=row.reviewer_email,
                  reason=row.reason, created_at=row.created_at, decided_at=row.decided_at,
                  restores_version=row.restores_version, note=row.note)


# ---- reading ---------------------------------------------------------------------------------

def has_content(session: Session) -> bool:
    """Whether the store holds content (then it, not content/, is what gets published)."""
    return session.exec(select(ContentItem.path).limit(1)).first() is not None


def current_items(session: Session) -> dict[str, dict]:
    """The approved state, keyed by item path: what the publisher signs."""
    rows = session.exec(select(ContentItem.path, ContentItem.item).where(ContentItem.item.is_not(None)))
    return {path: json.loads(text) for path, text in rows}


def current_encoded(session: Session) -> dict[str, bytes]:
    """The approved state as each item's canonical bytes (`encode_item`), as stored: what the
    publisher hashes and signs without parsing 30,000 items again."""
    rows = session.connection().execute(select(ContentItem.path, ContentItem.item)  # plain rows: no ORM work
                                        .where(ContentItem.item.is_not(None)))
    return {path: text.encode("utf-8") for path, text in rows}


def current(session: Session, path: str) -> ItemVersion | None:
    """The approved version of `path` (item None when deleted), or None if it never existed."""
    head = session.get(ContentItem, path)
    if head is None:
        return None
    row = session.exec(select(ContentVersion).where(ContentVersion.path == path,
                                                    ContentVersion.version == head.version)).one()
    return _version(row)


def history(session: Session, path: str) -> list[ItemVersion]:
    """Every version of `path`, newest first."""
    rows = session.exec(select(ContentVersion).where(ContentVersion.path == path)
                        .order_by(ContentVersion.version.desc()))
    return [_version(row) for row in rows]


def _items_at(session: Session, paths: set[str]) -> dict[str, dict]:
    """The current items at `paths` (enough to place texts in their article's countries)."""
    if not paths:
        return {}
    rows = session.exec(select(ContentItem.path, ContentItem.item).where(ContentItem.path.in_(sorted(paths)),
                                                                         ContentItem.item.is_not(None)))
    return {path: json.loads(text) for path, text in rows}


def _articles_of(items: list[dict | None]) -> set[str]:
    return {item_path("article", str(item["article_id"])) for item in items if item and "article_id" in item}


# ---- who may do what -------------------------------------------------------------------------

def needs_second_person(path: str) -> bool:
    """Contacts and notices always need a second person; other kinds unless the server's setting
    (SAFE_JOURNEY_FOUR_EYES=contacts_and_notices) lets an editor publish them alone."""
    if item_kind(path) in ALWAYS_TWO_PEOPLE:
        return True
    return os.environ.get(FOUR_EYES_ENV, "all").strip() != "contacts_and_notices"


def _may_change(editor: Editor, path: str, old: dict | None, new: dict | None, items: dict[str, dict]) -> bool:
    """The item as it is and as it would be must both be this editor's (no moving a contact
    into or out of another Society's country)."""
    return all(may_edit(editor, path, item, items) for item in (old, new) if item is not None)


def pending(session: Session, editor: Editor) -> list[Change]:
    """The pending changes this person may review (never their own), oldest first: same
    Society's country; an admin every change; a reviewer the texts of their languages."""
    rows = list(session.exec(select(ContentChange).where(ContentChange.status == "pending")
                             .order_by(ContentChange.id)))
    rows = [row for row in rows if row.author_account_id != editor.account_id and row.author_email != editor.email]
    heads = {row.path: session.get(ContentItem, row.path) for row in rows}
    olds = {path: _loads(head.item) if head else None for path, head in heads.items()}
    news = {row.id: _loads(row.item) for row in rows}
    articles = _items_at(session, _articles_of([*olds.values(), *news.values()]))
    return [_change(row) for row in rows if _may_change(editor, row.path, olds[row.path], news[row.id], articles)]


def changes_by(session: Session, editor: Editor, *, limit: int = 200) -> list[Change]:
    """This person's own changes, newest first, whatever became of them: pending (waiting for a
    second person), approved, or rejected with the reviewer's reason ("My changes")."""
    rows = session.exec(select(ContentChange).where(ContentChange.author_account_id == editor.account_id)
                        .order_by(ContentChange.id.desc()).limit(limit))
    return [_change(row) for row in rows]


def has_pending_change(session: Session, path: str) -> bool:
    """Whether a draft of `path` waits for review (a second new item at that path could never be approved)."""
    return session.exec(select(ContentChange.id).where(ContentChange.path == path,
                                                       ContentChange.status == "pending").limit(1)).first() is not None


# ---- changing ----------------------------------------------------------------------------------

def _audit_entry(editor: Editor, action: str, change_id: int) -> AuditEntry:
    return AuditEntry(account_id=editor.account_id, action=action, target=f"change {change_id}",
                      society=editor.society)


def _write_version(session: Session, change: ContentChange, approver: Editor | None) -> ContentVersion:
    """Make `change` the item's next version (its base + 1); StaleChange if another got there first."""
    head = session.get(ContentItem, change.path)
    if (head.version if head else 0) != change.base_version:
        raise StaleChange()
    version = ContentVersion(path=change.path, version=change.base_version + 1, item=change.item,
                             change_id=change.id, author_email=change.author_email,
                             approved_by_email=approver.email if approver else None)
    session.add(version)
    if head is None:
        session.add(ContentItem(path=change.path, version=version.version, item=change.item))
    else:
        head.version, head.item = version.version, change.item
        session.add(head)
    change.status, change.decided_at = "approved", utcnow()
    change.reviewer_email = approver.email if approver else None
    session.add(change)
    try:
        session.flush()  # two approvals of one version: the unique (path, version) lets one through
    except IntegrityError:
        session.rollback()
        raise StaleChange() from None
    return version


def propose(session: Session, editor: Editor, path: str, item: dict | None, *, base_version: int,
            note: str = "", restores_version: int | None = None) -> Change:
    """A draft of `path` (item None: delete it) made from version `base_version` (0: a new item).

    Checked at once with build_rows on the whole set it would make (EditRefused), for this
    editor's countries and languages (NotAllowed) and against the current version (StaleChange).
    A kind that needs no second person is approved at once."""
    if not is_item_path(path):
        raise EditRefused("path", "not a content item path")
    head = session.get(ContentItem, path)
    if (head.version if head else 0) != base_version:
        raise StaleChange()
    old = _loads(head.item) if head else None
    if item == old:
        raise EditRefused("item", "nothing changed")
    if len(note) > REASON_MAX:
        raise EditRefused("note", f"at most {REASON_MAX} characters")
    if not _may_change(editor, path, old, item, _items_at(session, _articles_of([old, item]))):
        raise NotAllowed()
    check_candidate(current_encoded(session), path, item)
    row = ContentChange(path=path, base_version=base_version, item=_dumps(item), author_account_id=editor.account_id,
                        author_email=editor.email, status="pending", note=note, restores_version=restores_version)
    session.add(row)
    session.flush()
    session.add(_audit_entry(editor, "content_restore" if restores_version else "content_propose", row.id))
    if not needs_second_person(path):
        _write_version(session, row, None)
        session.add(_audit_entry(editor, "content_publish_alone", row.id))
    session.commit()
    session.refresh(row)
    logger.info("content change %d proposed (%s)", row.id, row.status)
    return _change(row)


def _pending_row(session: Session, change_id: int) -> ContentChange:
    row = session.get(ContentChange, change_id)
    if row is None or row.status != "pending":
        raise NoSuchChange(change_id)
    return row


def approve(session: Session, reviewer: Editor, change_id: int) -> ItemVersion:
    """Make a pending change the item's next version. FourEyes if `reviewer` wrote it,
    NotAllowed if it is not theirs to review, StaleChange if the item moved on since its
    base version, EditRefused if the set it would make no longer passes the rules."""
    row = _pending_row(session, change_id)
    if row.author_account_id == reviewer.account_id or row.author_email == reviewer.email:
        raise FourEyes()
    head = session.get(ContentItem, row.path)
    if (head.version if head else 0) != row.base_version:
        raise StaleChange()
    old, new = (_loads(head.item) if head else None), _loads(row.item)
    if not _may_change(reviewer, row.path, old, new, _items_at(session, _articles_of([old, new]))):
        raise NotAllowed()
    check_candidate(current_encoded(session), row.path, new)  # other approvals since the draft may have broken a link
    version = _write_version(session, row, reviewer)
    audit.record(session, account_id=reviewer.account_id, action="content_approve", target=f"change {row.id}",
                 society=reviewer.society)
    session.refresh(version)
    logger.info("content change %d approved as version %d", row.id, version.version)
    return _version(version)


def reject(session: Session, reviewer: Editor, change_id: int, reason: str) -> Change:
    """Close a pending change without publishing it (its author may withdraw it the same way)."""
    row = _pending_row(session, change_id)
    if len(reason) > REASON_MAX:
        raise EditRefused("reason", f"at most {REASON_MAX} characters")
    is_author = row.author_account_id == reviewer.account_id
    if not is_author:
        head = session.get(ContentItem, row.path)
        old, new = (_loads(head.item) if head else None), _loads(row.item)
        if not _may_change(reviewer, row.path, old, new, _items_at(session, _articles_of([old, new]))):
            raise NotAllowed()
    row.status, row.reviewer_email, row.reason, row.decided_at = "rejected", reviewer.email, reason, utcnow()
    session.add(row)
    audit.record(session, account_id=reviewer.account_id, action="content_reject", target=f"change {row.id}",
                 society=reviewer.society)
    session.refresh(row)
    return _change(row)


def restore(session: Session, editor: Editor, path: str, version: int) -> Change:
    """A new draft whose item is version `version`'s (versions only go forward)."""
    row = session.exec(select(ContentVersion).where(ContentVersion.path == path,
                                                    ContentVersion.version == version)).first()
    if row is None:
        raise EditRefused("version", "this item has no such version")
    head = session.get(ContentItem, path)
    return propose(session, editor, path, _loads(row.item), base_version=head.version,
                   note=f"restores version {version}", restores_version=version)


# ---- showing a change --------------------------------------------------------------------------

class _BlockDumper(yaml.SafeDumper):
    """YAML with multi-line text as blocks, so a diff shows the lines of an article that changed."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _text)


def _yaml_lines(item: dict | None) -> list[str]:
    if item is None:
        return []
    return yaml.dump(item, Dumper=_BlockDumper, allow_unicode=True, sort_keys=True, width=100).splitlines()


def item_diff(old: dict | None, new: dict | None) -> list[str]:
    """A unified diff of the two items' YAML form (None: no item)."""
    return list(difflib.unified_diff(_yaml_lines(old), _yaml_lines(new), "before", "after", lineterm=""))


# ---- content/ files in and out -----------------------------------------------------------------

def import_items(session: Session, items: dict[str, dict]) -> int:
    """Load `items` as version 1 of each; returns how many. Checked with build_rows first;
    refused (StoreNotEmpty) when the store holds content: an import never overwrites staff edits."""
    from app.content.rows import check_items

    if has_content(session):
        raise StoreNotEmpty()
    check_items(items)  # the same rules as make bundle: the store never holds what cannot publish
    now = utcnow()
    rows = [{"path": path, "version": 1, "item": _dumps(item)} for path, item in sorted(items.items())]
    if rows:  # one statement per table (executemany): a 30,000-item set loads in seconds
        connection = session.connection()
        connection.execute(insert(ContentItem.__table__), rows)
        connection.execute(insert(ContentVersion.__table__), [{**row, "created_at": now} for row in rows])
    audit.record(session, account_id=None, action="content_import", target=f"{len(rows)} items")
    logger.info("content store: imported %d items", len(rows))
    return len(rows)


def import_source(session: Session, folder: Path) -> int:
    """Load a content/ folder (app/content/source.py layout) into an empty store; returns how many items."""
    from app.content.source import read_source

    return import_items(session, read_source(folder))


def export_source(session: Session, folder: Path) -> int:
    """Write the approved state as a content/ folder (the same YAML/Markdown layout); returns
    how many items. `read_source(folder) == current_items(session)`."""
    from sync_server.editor.source_writer import write_source

    items = current_items(session)
    write_source(items, folder)
    return len(items)
