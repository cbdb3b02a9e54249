"""Caseworker pages: the inbox, one request opened for display, notes, status, referral and the
found person's consent (tracing). Every view and change is written to the audit log.

A caseworker sees and handles only their own Society's requests. An admin sees the list of
every Society's requests (nothing personal in it) and can refer one, e.g. one whose route
named no Society, but never opens a request's contents: only its caseworkers need them.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from sqlmodel import select

from app.content.countries import country_name
from sync_server.requests import keys, store
from sync_server.staff import audit
from sync_server.staff.models import Role, StaffAccount
from sync_server.staff.sessions import CurrentStaff
from sync_server.staff.web.deps import SessionDep, check_csrf, require
from sync_server.staff.web.templating import Pages

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/staff/inbox", dependencies=[Depends(check_csrf)], include_in_schema=False)  # HTML pages
pages = Pages(Path(__file__).resolve().parent / "templates")

Caseworker = Annotated[CurrentStaff, Depends(require(Role.caseworker))]
InboxStaff = Annotated[CurrentStaff, Depends(require(Role.caseworker, Role.admin))]

# Where a request may go next; closed and withdrawn requests stay as they are. Closing is final:
# the requester's app stops asking about a closed request (app/requests_sync.py), so a reopened
# one would never reach them, and `purge` deletes closed requests. The page says so before closing.
NEXT_STATUSES = {"delivered": ("in_progress", "closed"), "in_progress": ("closed",)}
MESSAGE_MAX = 300
NOTE_MAX = 2000
# The found person's answer (tracing), kept as a sealed note in these words.
CONSENT_NOTES = {
    "not_found": "Consent of the found person: the person has not been found yet.",
    "agreed_contact": "Consent of the found person: they agree that the requester gets their contact details.",
    "agreed_news": "Consent of the found person: they agree that the requester is told they are alive and well, nothing more.",
    "refused": "Consent of the found person: they do not want anything about them shared with the requester.",
}


def _society(staff: CurrentStaff) -> str | None:
    """The Society whose requests this staff member handles (None: an admin, every Society's list)."""
    return None if staff.account.role == Role.admin else staff.account.society


def _audit(db, staff: CurrentStaff, action: str, receipt: str | None = None, society: str | None = None) -> None:
    audit.record(db, account_id=staff.account.id, action=action, target=receipt,
                 society=society or staff.account.society)


def _known_societies(request: Request) -> list[str]:
    return sorted(request.app.state.intake.societies)


def society_name(request: Request, code: str | None) -> str:
    """A Society as staff read it: its name from the content, else "AE — United Arab Emirates"."""
    if not code:
        return "none yet"
    return request.app.state.intake.society_names.get(code) or f"{code} — {country_name(code, 'en')}"


def _society_choices(request: Request, leave_out: str | None) -> list[tuple[str, str]]:
    """(code, name) of every Society a request can be referred to, by name."""
    choices = [(code, society_name(request, code)) for code in _known_societies(request) if code != leave_out]
    return sorted(choices, key=lambda choice: choice[1].casefold())


def _referred_to(request: Request) -> str | None:
    """The name of the Society the last referral went to (the page's `to`), if it is one."""
    code = request.query_params.get("to")
    return society_name(request, code) if code in request.app.state.intake.societies else None


def _someone_reads(db, society: str) -> bool:
    """Whether the Society has an active caseworker account: a request sent where nobody
    reads it would wait unseen."""
    return db.exec(select(StaffAccount.id).where(StaffAccount.society == society, StaffAccount.role == Role.caseworker,
                                                 StaffAccount.disabled == False)).first() is not None  # noqa: E712


class NobodyReads(Exception):
    """The Society chosen for a referral has no active caseworker account."""


@router.get("")
def inbox(request: Request, db: SessionDep, staff: InboxStaff):
    rows = store.inbox(db, _society(staff))
    _audit(db, staff, "inbox_view")
    return pages.render(request, "inbox.html", {
        "rows": rows, "all_societies": _society(staff) is None, "referred_to": _referred_to(request),
        "society_name": lambda code: society_name(request, code)}, staff=staff)


def _inbox_row(db, receipt: str, society: str | None) -> store.InboxRow:
    """The inbox line of receipt among society's requests (None: every Society's)."""
    wanted = store.normalise_receipt(receipt)
    for row in store.inbox(db, society):
        if row.receipt == wanted:
            return row
    raise store.UnknownRequest()


def _not_found(request: Request, db, staff: CurrentStaff, receipt: str):
    # Another Society's request answers exactly like a receipt that does not exist.
    _audit(db, staff, "request_refused", receipt[:64])
    return pages.render(request, "not_found.html", staff=staff, status_code=404)


def _cannot_open(request: Request, db, staff: CurrentStaff, receipt: str, bad: keys.BadSeal):
    """A request (or note) sealed to a key this server does not hold, or damaged: words, not a 500."""
    if bad.missing:
        logger.error("a request cannot be opened: it is sealed to key %s, which this server does not hold", bad.key_id)
    else:
        logger.error("a request cannot be opened: its box sealed to key %s is damaged", bad.key_id)
    _audit(db, staff, "request_unreadable", store.normalise_receipt(receipt)[:64])
    return pages.render(request, "cannot_open.html", {"missing": bad.missing}, staff=staff, status_code=500)


@router.get("/{receipt}")
def open_request(request: Request, receipt: str, db: SessionDep, staff: InboxStaff):
    try:
        if _society(staff) is None:
            row = _inbox_row(db, receipt, None)
            _audit(db, staff, "request_view_summary", row.receipt, row.society)
            return pages.render(request, "request_summary.html", {
                "row": row, "societies": _society_choices(request, None), "referred_to": _referred_to(request),
                "society_name": lambda code: society_name(request, code)}, staff=staff)
        opened = store.open_request(db, receipt, staff.account.society,
                                    keyring=request.app.state.intake.keyring())
    except (store.UnknownRequest, store.NotYourSociety):
        return _not_found(request, db, staff, receipt)
    except keys.BadSeal as bad:
        return _cannot_open(request, db, staff, receipt, bad)
    _audit(db, staff, "request_open", opened.receipt)
    consent = [note for note in opened.notes if note.text in CONSENT_NOTES.values()]
    return pages.render(request, "request.html", {
        "r": opened, "next_statuses": NEXT_STATUSES.get(opened.status, ()),
        "societies": _society_choices(request, staff.account.society), "referred_to": _referred_to(request),
        "society_name": lambda code: society_name(request, code), "country_name": lambda code: country_name(code, "en"),
        "consent_answers": CONSENT_NOTES, "last_consent": consent[-1] if consent else None,
        "done": request.query_params.get("done"), "error": request.query_params.get("error"),
        "message_max": MESSAGE_MAX, "note_max": NOTE_MAX,
    }, staff=staff)


def _back(receipt: str, **query: str) -> RedirectResponse:
    suffix = "?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else ""
    return RedirectResponse(f"/staff/inbox/{store.normalise_receipt(receipt)}{suffix}", status_code=303)


@router.post("/{receipt}/note")
def add_note(request: Request, receipt: str, db: SessionDep, staff: Caseworker,
             text: Annotated[str, Form(max_length=NOTE_MAX)]):
    if not text.strip():
        return _back(receipt, error="empty_note")
    return _change(request, db, staff, receipt, "note_add", lambda: store.add_note(
        db, receipt, staff.account.society, str(staff.account.id), text.strip(),
        keyring=request.app.state.intake.keyring()), done="note")


@router.post("/{receipt}/consent")
def record_consent(request: Request, receipt: str, db: SessionDep, staff: Caseworker,
                   answer: Annotated[str, Form(max_length=32)]):
    if answer not in CONSENT_NOTES:
        return _back(receipt, error="consent")

    def record() -> None:
        if _inbox_row(db, receipt, staff.account.society).kind != "tracing":  # only a sought person is "found"
            raise store.InvalidStatus(answer)
        store.add_note(db, receipt, staff.account.society, str(staff.account.id), CONSENT_NOTES[answer],
                       keyring=request.app.state.intake.keyring())

    return _change(request, db, staff, receipt, "consent_record", record, done="consent")


@router.post("/{receipt}/status")
def set_status(request: Request, receipt: str, db: SessionDep, staff: Caseworker,
               status: Annotated[str, Form(max_length=16)],
               message: Annotated[str, Form(max_length=MESSAGE_MAX)] = ""):
    def change() -> None:
        current = _inbox_row(db, receipt, staff.account.society).status  # only forward, never back
        if status not in NEXT_STATUSES.get(current, ()):
            raise store.InvalidStatus(status)
        store.set_status(db, receipt, staff.account.society, status, message.strip() or None)

    return _change(request, db, staff, receipt, "status_set", change, done="status")


@router.post("/{receipt}/refer")
def refer(request: Request, receipt: str, db: SessionDep, staff: InboxStaff,
          to_society: Annotated[str, Form(max_length=2)] = ""):
    if not to_society:
        return _back(receipt, error="refer_none")
    if to_society not in request.app.state.intake.societies or to_society == _society(staff):
        return _back(receipt, error="refer")

    def refer_it() -> None:
        row = _inbox_row(db, receipt, _society(staff))  # not theirs: answered as unknown before anything else
        if _society(staff) is None and row.society is not None:
            raise store.NotYourSociety()  # an admin refers only what no Society holds (see store.refer)
        if not _someone_reads(db, to_society):
            raise NobodyReads()
        store.refer(db, receipt, _society(staff), to_society)

    result = _change(request, db, staff, receipt, "refer", refer_it, done="refer", society=to_society,
                     to=to_society)
    if _society(staff) is not None and "done=refer" in result.headers.get("location", ""):
        # no longer ours to open: the inbox says where it went
        return RedirectResponse(f"/staff/inbox?done=refer&to={to_society}", status_code=303)
    return result


def _change(request: Request, db, staff: CurrentStaff, receipt: str, action: str, change, *, done: str,
            society: str | None = None, **query: str):
    try:
        change()
    except (store.UnknownRequest, store.NotYourSociety):
        return _not_found(request, db, staff, receipt)
    except store.RequestWithdrawn:
        return _back(receipt, error="withdrawn")
    except (store.InvalidStatus, store.MessageTooLong):  # the form's limits stop both before: kept as a guard
        return _back(receipt, error="status")
    except store.UnknownSociety:
        return _back(receipt, error="refer")
    except NobodyReads:
        return _back(receipt, error="refer_nobody", **query)
    _audit(db, staff, action, store.normalise_receipt(receipt), society)
    return _back(receipt, done=done, **query)

