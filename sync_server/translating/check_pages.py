"""/staff/contacts/checks: staff of a National Society record that they checked a contact's number
today (a contact change: it reaches phones once a second person approves it), and every staff
member who works on content sees which contacts nobody has checked for more than twelve months."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from app.content.countries import country_name, is_known_country
from sync_server.editor import store
from sync_server.staff.models import Role
from sync_server.staff.sessions import CurrentStaff
from sync_server.staff.web.deps import Forbidden, SessionDep, check_csrf, require
from sync_server.translating import checks
from sync_server.translating.web import ContentStaff, items, not_found, render, version_of

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/staff/contacts/checks", dependencies=[Depends(check_csrf)], include_in_schema=False)

# Who records a check: a Society's editors (their own country's contacts) and admins.
Checker = Annotated[CurrentStaff, Depends(require(Role.editor, Role.admin))]


def _country_shown(staff: CurrentStaff, asked: str) -> str:
    """The country whose contacts the page lists: the one asked for, else the staff member's own
    (an admin: every country)."""
    code = asked.strip().upper()
    if code == "ALL" or (not code and staff.account.role == Role.admin):
        return ""
    return code if is_known_country(code) else staff.account.society


@router.get("")
def check_page(request: Request, db: SessionDep, staff: ContentStaff, country: str = ""):
    content = items(db)
    rows = checks.contacts(content)
    shown = _country_shown(staff, country)
    editor = store.editor_from_staff(staff)
    listed = [row for row in rows if not shown or row.country == shown]
    today = datetime.now(timezone.utc).date()
    return render(request, "contact_checks.html", {
        "rows": listed, "country": shown, "countries": sorted({row.country for row in rows}),
        "country_name": lambda code: country_name(code, "en"),
        "may_check": {row.id for row in listed
                      if staff.account.role != Role.reviewer and store.may_edit(editor, row.path, content[row.path], content)},
        "overdue": checks.not_checked_since(listed, today),
        "since": checks.months_before(today, checks.CHECK_EVERY_MONTHS),
        "done": request.query_params.get("done"), "error": request.query_params.get("error"),
        "contact": request.query_params.get("contact"),
    }, staff=staff)


def _back(country: str, contact_id: str, **query: str) -> RedirectResponse:
    words = "&".join(f"{key}={value}" for key, value in query.items())
    return RedirectResponse(f"/staff/contacts/checks?country={country}&contact={contact_id}&{words}", status_code=303)


@router.post("/{contact_id}")
def record_check(request: Request, contact_id: str, db: SessionDep, staff: Checker):
    path = checks.contact_path(contact_id)
    current = store.current(db, path)
    if current is None or current.item is None:
        return not_found(request, staff)
    item = checks.checked_item(current.item, society=staff.account.society, now=datetime.now(timezone.utc))
    try:
        change = store.propose(db, store.editor_from_staff(staff), path, item, base_version=version_of(db, path),
                               note=f"number checked by staff of {staff.account.society}")
    except store.NotAllowed:
        raise Forbidden() from None
    except store.EditRefused as refused:
        logger.info("contact check of %s refused: %s", contact_id, refused.field)
        return _back(current.item["country"], contact_id, error=refused.field)
    except store.StaleChange:
        return _back(current.item["country"], contact_id, error="stale")
    return _back(current.item["country"], contact_id, done="pending" if change.status == "pending" else "published")
