"""Every read and write of help requests: intake (the API) and the caseworker pages (staff)
call these small functions, never SQL of their own.

Personal data is stored only sealed: the phone's box as received, and notes sealed to the
current request key. `open_request` opens both in memory for display. `society=None` means
every Society (an admin); a request whose route has no Society has `society` None and is seen
only there until someone refers it.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, func, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from sync_server.requests import keys, routing
from sync_server.requests.models import HelpRequest, Referral, RequestNote

log = logging.getLogger(__name__)

# Crockford's base32: no I, L, O or U, so a receipt read aloud or copied by hand survives.
RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
STAFF_STATUSES = ("delivered", "in_progress", "closed")  # "withdrawn" is the requester's alone
MAX_MESSAGE = 500  # the requester reads it on a phone, beside the status


class UnknownRequest(Exception):
    """No request has this receipt (or it was purged), or the requester's proof is not its own."""


class NotYourSociety(Exception):
    """The request is routed to another National Society."""


class IdempotencyConflict(Exception):
    """The idempotency key was used before with another body."""


class RequestWithdrawn(Exception):
    """The requester withdrew it: its personal data is gone, nothing more can be added."""


class InvalidStatus(ValueError):
    """Not a status staff can set (delivered, in_progress, closed)."""


class MessageTooLong(ValueError):
    """A message for the requester is longer than MAX_MESSAGE characters."""


class UnknownSociety(ValueError):
    """No National Society has this code (a country with a national_society contact)."""


# What the requester sees (POST and GET answers): nothing personal.
@dataclass(frozen=True)
class RequestStatus:
    receipt: str
    status: str
    updated_at: datetime
    message: str | None = None


# One line of a caseworker's inbox: nothing personal.
@dataclass(frozen=True)
class InboxRow:
    receipt: str
    kind: str
    status: str
    society: str | None
    created_at: datetime
    updated_at: datetime  # what the requester sees: the status or the message changed
    last_change: datetime  # what staff see: also a note added or a referral


# A caseworker's note, opened.
@dataclass(frozen=True)
class NoteView:
    author: str
    text: str
    created_at: datetime


# A referral from one Society to another.
@dataclass(frozen=True)
class ReferralView:
    from_society: str | None
    to_society: str
    created_at: datetime


# A request opened for a caseworker: the form's fields exist only in this object, in memory.
@dataclass(frozen=True)
class OpenedRequest:
    receipt: str
    kind: str
    society: str | None
    status: str
    message: str | None
    fields: dict
    notes: list[NoteView]
    referrals: list[ReferralView]
    created_at: datetime
    updated_at: datetime  # what the requester sees: the status or the message changed
    last_change: datetime  # what staff see: also a note added or a referral


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def new_receipt() -> str:
    """16 random Crockford base32 characters (80 bits), grouped by 4: the request's reference,
    which staff see too (page addresses, titles, the inbox). Not a secret: see `_requesters`."""
    chars = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(16))
    return "-".join(chars[i:i + 4] for i in range(0, 16, 4))


def normalise_receipt(text: str) -> str:
    """Read a receipt as a person may type it: any case, O for 0, I or L for 1, any grouping."""
    chars = text.strip().upper().replace("-", "").replace(" ", "")
    chars = chars.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    return "-".join(chars[i:i + 4] for i in range(0, len(chars), 4))


def _status(row: HelpRequest) -> RequestStatus:
    return RequestStatus(row.receipt, row.status, _utc(row.updated_at), row.message)


def _by_key(session: Session, idempotency_key: str) -> HelpRequest | None:
    return session.exec(select(HelpRequest).where(HelpRequest.idempotency_key == idempotency_key)).first()


def _by_receipt(session: Session, receipt: str) -> HelpRequest:
    row = session.exec(select(HelpRequest).where(HelpRequest.receipt == normalise_receipt(receipt))).first()
    if row is None:
        raise UnknownRequest()
    return row


def _first_answer(row: HelpRequest, body_hash: str) -> RequestStatus:
    if row.body_hash != body_hash:
        raise IdempotencyConflict()
    # A repeat gets the first answer again: the phone then asks for the status by receipt.
    return RequestStatus(row.receipt, "delivered", _utc(row.created_at))


def receive(session: Session, *, idempotency_key: str, body_hash: str, kind: str, route: list[str],
            society: str | None, key_id: str, sealed: bytes) -> tuple[RequestStatus, bool]:
    """Store a sealed request once per idempotency key: (answer, True when new).

    The insert comes first (a new request is the common case: one statement); when the key
    is taken, by an earlier send or by a repeat racing this one, the unique constraint refuses
    it and the stored row answers.
    """
    for _ in range(3):  # a receipt collision (2^-80) is retried with a new receipt
        now, receipt = _now(), new_receipt()
        session.add(HelpRequest(idempotency_key=idempotency_key, body_hash=body_hash, receipt=receipt, kind=kind,
                                society=society, route=",".join(route), key_id=key_id, sealed=sealed,
                                created_at=now, updated_at=now))
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            existing = _by_key(session, idempotency_key)
            if existing is not None:
                return _first_answer(existing, body_hash), False
            continue
        return RequestStatus(receipt, "delivered", now), True  # from memory: no reload after the commit
    raise RuntimeError("could not store the request")


# Compared in place of a stored key when no request has the receipt: the same work either way.
_NO_KEY = b"-" * 32


def _requesters(session: Session, receipt: str, proof: str | None) -> HelpRequest:
    """The request this receipt names, only for the phone that made it: `proof` is the
    Idempotency-Key it was sent with, which only that phone and this table hold (staff see the
    receipt, never the key). A missing or wrong proof is an unknown receipt, so a receipt alone
    says nothing, not even that the request exists. Compared in constant time."""
    row = session.exec(select(HelpRequest).where(HelpRequest.receipt == normalise_receipt(receipt))).first()
    given = (proof or "").encode("utf-8", "surrogateescape")
    kept = row.idempotency_key.encode() if row is not None else _NO_KEY
    if not hmac.compare_digest(given, kept) or row is None or not proof:
        raise UnknownRequest()
    return row


def status_of(session: Session, receipt: str, *, proof: str | None) -> RequestStatus:
    """What the requester sees of their request (`proof`: see `_requesters`)."""
    return _status(_requesters(session, receipt, proof))


def withdraw(session: Session, receipt: str, *, proof: str | None) -> RequestStatus:
    """The requester takes the request back (`proof`: see `_requesters`): its sealed body,
    notes, route (the countries say where the requester and the sought person are) and
    referrals are erased at once."""
    row = _requesters(session, receipt, proof)
    if row.status != "withdrawn":
        session.exec(delete(RequestNote).where(col(RequestNote.request_id) == row.id))
        session.exec(delete(Referral).where(col(Referral.request_id) == row.id))
        row.sealed, row.key_id, row.message, row.route = None, None, None, ""
        row.status, row.updated_at = "withdrawn", _now()
        session.add(row)
        session.commit()
        _erase_old_page_copies(session)
    return _status(row)


def _erase_old_page_copies(session: Session) -> None:
    """SQLite overwrites deleted bytes (secure_delete), but the write-ahead log still holds the
    pages as they were until a checkpoint: copy it back and empty it now (best effort: a
    reader in the middle of a read keeps its pages until the next checkpoint). PostgreSQL
    keeps a dead row's bytes (sealed, never plain) until the space is reused."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


def _mine(session: Session, receipt: str, society: str | None) -> HelpRequest:
    row = _by_receipt(session, receipt)
    if society is not None and row.society != society:
        raise NotYourSociety()
    return row


def _last_change(*moments: datetime | None) -> datetime:
    return max(_utc(moment) for moment in moments if moment is not None)


def inbox(session: Session, society: str | None) -> list[InboxRow]:
    """Requests routed to `society` (None: every request), newest first. Nothing personal.
    The last change counts a note or a referral too, not only what the requester sees change
    (their status's time stays as it was: a note is for staff alone)."""
    last_note = (select(RequestNote.request_id, func.max(RequestNote.created_at).label("at"))
                 .group_by(RequestNote.request_id).subquery())
    last_referral = (select(Referral.request_id, func.max(Referral.created_at).label("at"))
                     .group_by(Referral.request_id).subquery())
    query = (select(HelpRequest, last_note.c.at, last_referral.c.at)
             .outerjoin(last_note, last_note.c.request_id == HelpRequest.id)
             .outerjoin(last_referral, last_referral.c.request_id == HelpRequest.id)
             .order_by(col(HelpRequest.created_at).desc(), col(HelpRequest.id).desc()))
    if society is not None:
        query = query.where(HelpRequest.society == society)
    return [InboxRow(row.receipt, row.kind, row.status, row.society, _utc(row.created_at), _utc(row.updated_at),
                     _last_change(row.updated_at, noted, referred))
            for row, noted, referred in session.exec(query)]


def open_request(session: Session, receipt: str, society: str | None, *,
                 keyring: keys.Keyring | None = None) -> OpenedRequest:
    """The request with its fields and notes opened in memory (a withdrawn one has neither)."""
    row = _mine(session, receipt, society)
    ring = keyring or keys.current_keyring()
    fields = json.loads(ring.open(row.key_id, row.sealed)) if row.sealed is not None else {}
    notes = session.exec(select(RequestNote).where(RequestNote.request_id == row.id).order_by(col(RequestNote.id)))
    referrals = session.exec(select(Referral).where(Referral.request_id == row.id).order_by(col(Referral.id)))
    opened_notes = [NoteView(note.author, ring.open(note.key_id, note.sealed).decode("utf-8"), _utc(note.created_at))
                    for note in notes]
    referral_views = [ReferralView(ref.from_society, ref.to_society, _utc(ref.created_at)) for ref in referrals]
    return OpenedRequest(
        row.receipt, row.kind, row.society, row.status, row.message, fields, opened_notes, referral_views,
        _utc(row.created_at), _utc(row.updated_at),
        _last_change(row.updated_at, *(note.created_at for note in opened_notes),
                     *(ref.created_at for ref in referral_views)))


def add_note(session: Session, receipt: str, society: str | None, author: str, text: str, *,
             keyring: keys.Keyring | None = None) -> None:
    """A caseworker's note, sealed to the current request key before it is written."""
    row = _mine(session, receipt, society)
    if row.status == "withdrawn":
        raise RequestWithdrawn()
    key_id, sealed = (keyring or keys.current_keyring()).seal(text.encode("utf-8"))
    session.add(RequestNote(request_id=row.id, author=author, key_id=key_id, sealed=sealed, created_at=_now()))
    session.commit()


def set_status(session: Session, receipt: str, society: str | None, status: str, message: str | None = None) -> None:
    """Move the request on; `message` (short, not personal) is shown to the requester with it."""
    if status not in STAFF_STATUSES:
        raise InvalidStatus(status)
    if message is not None and len(message) > MAX_MESSAGE:
        raise MessageTooLong()
    row = _mine(session, receipt, society)
    if row.status == "withdrawn":
        raise RequestWithdrawn()
    row.status, row.message, row.updated_at = status, message, _now()
    session.add(row)
    session.commit()


def refer(session: Session, receipt: str, from_society: str | None, to_society: str, *,
          known: frozenset[str] | None = None) -> None:
    """Pass the request to another Society (one of `known`, default: the content's); the
    referral stays in its history. `from_society` None (an admin): only a request no Society holds."""
    if to_society not in (known if known is not None else routing.known_societies()):
        raise UnknownSociety(to_society)
    row = _mine(session, receipt, from_society)
    if from_society is None and row.society is not None:
        # An admin passes on only what no Society holds: moving another Society's request to
        # one's own would let its caseworkers read it.
        raise NotYourSociety()
    if row.status == "withdrawn":
        raise RequestWithdrawn()
    session.add(Referral(request_id=row.id, from_society=row.society, to_society=to_society, created_at=_now()))
    log.info("a request was referred from %s to %s", row.society or "no Society", to_society)
    row.society = to_society
    session.add(row)
    session.commit()


def purge_closed(session: Session, older_than_days: int = 90) -> int:
    """Delete closed and withdrawn requests untouched for `older_than_days`: how many went."""
    cutoff = _now() - timedelta(days=older_than_days)
    ids = list(session.exec(select(HelpRequest.id).where(col(HelpRequest.status).in_(("closed", "withdrawn")),
                                                         col(HelpRequest.updated_at) < cutoff)))
    if ids:
        session.exec(delete(RequestNote).where(col(RequestNote.request_id).in_(ids)))
        session.exec(delete(Referral).where(col(Referral.request_id).in_(ids)))
        session.exec(delete(HelpRequest).where(col(HelpRequest.id).in_(ids)))
    session.commit()
    return len(ids)

