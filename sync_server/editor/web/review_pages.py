"""/staff/review/: the changes this person may review (never their own), each with its diff
against the published item, to approve (it becomes the next version, which the publisher signs)
or reject with a reason. Approving one's own change is refused in words (four eyes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from sync_server.editor import store
from sync_server.editor.web.common import ContentStaff, audit_view, editor_of, pages
from sync_server.editor.web.history_pages import item_title
from sync_server.staff.web.deps import Forbidden, SessionDep, check_csrf

router = APIRouter(prefix="/staff/review", dependencies=[Depends(check_csrf)], include_in_schema=False)
REASON_MAX = 1000


@dataclass(frozen=True)
class ReviewRow:
    change: store.Change
    title: str
    diff: list[str]


@router.get("")
def review_queue(request: Request, db: SessionDep, staff: ContentStaff):
    editor = editor_of(staff)
    items = store.current_items(db)
    rows = []
    for change in store.pending(db, editor):
        now = store.current(db, change.path)
        rows.append(ReviewRow(change, item_title(change.path, change.item or (now.item if now else None) or {}, items),
                              store.item_diff(now.item if now else None, change.item)))
    audit_view(db, staff, "content_review_view")
    return pages.render(request, "review.html", {
        "changes": rows, "done": request.query_params.get("done"), "error": request.query_params.get("error")},
        staff=staff)


def _back(**query: str) -> RedirectResponse:
    return RedirectResponse("/staff/review?" + "&".join(f"{key}={value}" for key, value in query.items()),
                            status_code=303)


def _decide(decision, done: str) -> RedirectResponse:
    try:
        decision()
    except store.FourEyes:
        return _back(error="four_eyes")
    except store.StaleChange:
        return _back(error="stale")
    except store.NoSuchChange:
        return _back(error="gone")
    except store.EditRefused:
        return _back(error="stale")  # the published set moved on so that this draft no longer fits
    except store.NotAllowed:
        raise Forbidden() from None
    return _back(done=done)


@router.post("/{change_id}/approve")
def approve(change_id: int, db: SessionDep, staff: ContentStaff):
    def approve() -> None:
        store.approve(db, editor_of(staff), change_id)

    return _decide(approve, "approved")


@router.post("/{change_id}/reject")
def reject(change_id: int, db: SessionDep, staff: ContentStaff,
           reason: Annotated[str, Form(max_length=REASON_MAX)] = ""):
    if not reason.strip():
        return _back(error="reason")

    def reject() -> None:
        store.reject(db, editor_of(staff), change_id, reason.strip())

    return _decide(reject, "rejected")
