"""/staff/content/mine: "My changes" — the logged-in person's own changes, newest first:
waiting for a second person (with a way to withdraw the draft), approved, or rejected with the
reviewer's reason; each with what it changes and a link to its item's versions."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from sync_server.editor import store
from sync_server.editor.web.common import ContentStaff, audit_view, editor_of, pages
from sync_server.editor.web.history_pages import item_title
from sync_server.staff.web.deps import SessionDep, check_csrf

router = APIRouter(prefix="/staff/content/mine", dependencies=[Depends(check_csrf)], include_in_schema=False)
WITHDRAWN = "Withdrawn by its author."


@dataclass(frozen=True)
class MineRow:
    change: store.Change
    title: str
    diff: list[str]
    has_history: bool  # a draft of a new item that was never published has no versions to show


def _rows(db, editor: store.Editor) -> list[MineRow]:
    items = store.current_items(db)
    versions: dict[str, dict[int, dict | None]] = {}
    rows = []
    for change in store.changes_by(db, editor):
        if change.path not in versions:
            versions[change.path] = {v.version: v.item for v in store.history(db, change.path)}
        known = versions[change.path]
        base = known.get(change.base_version)
        shown = change.item or base or {}
        rows.append(MineRow(change, item_title(change.path, shown, items), store.item_diff(base, change.item),
                            bool(known)))
    return rows


@router.get("")
def my_changes(request: Request, db: SessionDep, staff: ContentStaff):
    rows = _rows(db, editor_of(staff))
    audit_view(db, staff, "content_mine_view")
    return pages.render(request, "mine.html", {
        "rows": rows, "withdrawn": WITHDRAWN, "done": request.query_params.get("done"), "error": request.query_params.get("error")},
        staff=staff)


@router.post("/{change_id}/withdraw")
def withdraw(change_id: int, db: SessionDep, staff: ContentStaff):
    """Withdraw one's own pending draft (the store's reject by its author); nobody else's."""
    editor = editor_of(staff)
    own = {change.id: change for change in store.changes_by(db, editor)}
    if change_id not in own or own[change_id].status != "pending":
        return RedirectResponse("/staff/content/mine?error=gone", status_code=303)
    try:
        store.reject(db, editor, change_id, WITHDRAWN)
    except store.NoSuchChange:  # decided by a reviewer a moment ago
        return RedirectResponse("/staff/content/mine?error=gone", status_code=303)
    return RedirectResponse("/staff/content/mine?done=withdrawn", status_code=303)
