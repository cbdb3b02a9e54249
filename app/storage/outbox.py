"""The outbox of help requests on the phone: sealed while they wait, a receipt once sent.

A request is saved already sealed to the server's key (app/help_requests/sealing.py), with
the idempotency key the server will see, made here at save time. Everything about a request
is sealed a second time with the device key (app/storage/sealing.py): the kind, the route,
the receipt code and the status mean nothing without the key file, and the background sync
can still record a delivery while the app is locked (the device key is not behind the PIN).

States: waiting -> sending (frozen: claimed by an atomic UPDATE, never changed or cancelled
after, except put back to waiting by the send that claimed it when no byte of it left the
phone: see `release`) -> sent (the sealed form is deleted; the receipt kept, with the idempotency
key as the proof that this phone sent it: the server gives a request's status, or withdraws it,
only to that proof, since staff see receipts too) or refused (the server cannot
open it; the plaintext is long gone, so the person is asked to fill it in again).
A `sending` request found after a crash is sent again with the same idempotency key: the
server answers with the first receipt, so nothing is lost or stored twice.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, TypeVar

from sqlalchemy import delete, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.storage import sealing
from app.storage.user_models import HelpRequest

WAITING, SENDING, SENT, REFUSED = "waiting", "sending", "sent", "refused"
CLAIMED, RESUMED = "claimed", "resumed"  # what `Outbox.claim` did
T = TypeVar("T")
# The user store's one write path (UserStore._write): holds its lock, and leaves a write out
# (answering None) once the store is closed, so a delivery recorded after "Delete all my data"
# cannot bring back a user.db sealed with keys that are gone.
Write = Callable[[Callable[[Session], T]], "T | None"]
_TIER = "d"  # the device key: readable while the app is locked


def new_idempotency_key() -> str:
    """32 URL-safe characters: within the server's 22-64 of [A-Za-z0-9_-]."""
    return secrets.token_urlsafe(24)


# A request as it goes to the server.
@dataclass(frozen=True)
class Outgoing:
    id: str
    idempotency_key: str
    kind: str
    route: list[str]
    key_id: str
    sealed: bytes


# What the person sees of a request: never its contents.
@dataclass(frozen=True)
class RequestSummary:
    id: str
    kind: str
    state: str  # waiting | sending | sent | refused
    status: str  # waiting | sending | delivered | in_progress | closed | withdrawn
    receipt: str | None
    created_at: datetime
    updated_at: datetime
    message: str | None  # from the caseworker
    problem: str | None = None  # refused: the server's code (bad_seal, …)


class OutboxClosed(Exception):
    """The user data was closed (deleted, or the app is ending): nothing more is kept."""


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Outbox:
    """The one write path to the help-request table (shares the user store's engine and lock)."""

    def __init__(self, engine: Engine, write: Write, device_key: bytes) -> None:
        self._engine = engine
        self._write = write
        self._key = device_key

    # Sealing with the device key; the row id is bound in, so a value moved to another row does not open.
    def _seal(self, row_id: str, part: str, value: dict[str, Any]) -> str:
        return sealing.seal(self._key, json.dumps(value).encode(), tier=_TIER, context=f"request:{part}:{row_id}")

    def _open(self, row_id: str, part: str, token: str) -> dict[str, Any]:
        return json.loads(sealing.open_sealed(self._key, token, context=f"request:{part}:{row_id}"))

    def forget_sent_copies(self) -> None:
        """Move the log into the file and empty it, so a deleted sealed form leaves no copy
        in the -wal (secure_delete zeroes it in the file itself). Once per round of sending."""
        self._write(lambda session: session.connection().exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)"))

    def save(self, *, kind: str, route: list[str], key_id: str, sealed: bytes) -> str:
        """Keep a sealed form until it can be sent; its local id."""
        row_id = secrets.token_hex(6)
        now = _now()
        outgoing = {"idempotency_key": new_idempotency_key(), "kind": kind, "route": route, "key_id": key_id,
                    "sealed": base64.b64encode(sealed).decode("ascii")}
        row = HelpRequest(id=row_id, state=WAITING, outgoing=self._seal(row_id, "outgoing", outgoing),
                          created_at=now, updated_at=now)

        def add(session: Session) -> str:
            session.add(row)
            session.commit()
            return row_id

        saved = self._write(add)
        if saved is None:
            raise OutboxClosed()
        return saved

    def to_send(self) -> list[Outgoing]:
        """Requests waiting, and those a stopped send left in `sending`, oldest first."""
        with Session(self._engine) as session:
            rows = session.exec(select(HelpRequest).where(HelpRequest.state.in_([WAITING, SENDING]))
                                .order_by(HelpRequest.created_at)).all()
        found = []
        for row in rows:
            try:
                data = self._open(row.id, "outgoing", row.outgoing or "")
            except sealing.CannotOpen:
                continue  # sealed with another phone's keys: listed as unreadable, never sent
            found.append(Outgoing(id=row.id, idempotency_key=data["idempotency_key"], kind=data["kind"],
                                  route=list(data["route"]), key_id=data["key_id"],
                                  sealed=base64.b64decode(data["sealed"])))
        return found

    def claim(self, row_id: str) -> str | None:
        """waiting -> sending: from now on the request is frozen. CLAIMED if this call took it
        from waiting, RESUMED if it was already sending (a send stopped by a crash or a cut
        answer), None if it is neither (cancelled a moment ago, or done)."""
        def take(session: Session) -> str | None:
            taken = session.exec(update(HelpRequest).where(HelpRequest.id == row_id, HelpRequest.state == WAITING)
                                 .values(state=SENDING, updated_at=_now())).rowcount
            session.commit()
            row = session.get(HelpRequest, row_id)
            if row is None or row.state != SENDING:
                return None
            return CLAIMED if taken else RESUMED

        return self._write(take)

    def release(self, row_id: str) -> bool:
        """sending -> waiting, so the person can cancel it again. Only for a request that this
        round took from waiting and that never left the phone (every try failed to connect):
        the server cannot hold it, so a cancel cannot leave an orphan there, and a later send
        is a first send. A request that may have reached the server stays `sending` (see
        app/requests_sync.py `_send_all`)."""
        def put_back(session: Session) -> int:
            back = session.exec(update(HelpRequest).where(HelpRequest.id == row_id, HelpRequest.state == SENDING)
                                .values(state=WAITING, updated_at=_now())).rowcount
            session.commit()
            return back

        return bool(self._write(put_back))

    def delivered(self, row_id: str, *, kind: str, receipt: str, proof: str, status: str, updated_at: str) -> None:
        """The server has it: forget the sealed form, keep the receipt and the proof (the
        request's idempotency key), sealed together."""
        record = {"kind": kind, "receipt": receipt, "proof": proof, "status": status, "updated_at": updated_at,
                  "message": None}
        sealed_record = self._seal(row_id, "receipt", record)

        def keep_receipt(session: Session) -> None:
            session.exec(update(HelpRequest).where(HelpRequest.id == row_id, HelpRequest.state == SENDING)
                         .values(state=SENT, outgoing=None, receipt=sealed_record, updated_at=_now()))
            session.commit()

        self._write(keep_receipt)

    def refused(self, row_id: str, *, kind: str, code: str) -> None:
        """The server cannot take it (e.g. bad_seal). The form stays sealed (never silently
        dropped) until the person removes it; it is never sent again."""
        record = {"kind": kind, "receipt": None, "status": WAITING, "updated_at": _now().isoformat(),
                  "message": None, "problem": code}
        sealed_record = self._seal(row_id, "receipt", record)

        def mark_refused(session: Session) -> None:
            session.exec(update(HelpRequest).where(HelpRequest.id == row_id, HelpRequest.state == SENDING)
                         .values(state=REFUSED, receipt=sealed_record, updated_at=_now()))
            session.commit()

        self._write(mark_refused)

    def set_status(self, row_id: str, *, status: str, updated_at: str, message: str | None) -> None:
        def change(session: Session) -> None:
            row = session.get(HelpRequest, row_id)
            if row is None or row.state != SENT or row.receipt is None:
                return
            record = self._open(row_id, "receipt", row.receipt)
            if (record["status"], record["updated_at"], record.get("message")) == (status, updated_at, message):
                return
            record.update(status=status, updated_at=updated_at, message=message)
            row.receipt = self._seal(row_id, "receipt", record)
            row.updated_at = _now()
            session.add(row)
            session.commit()

        self._write(change)

    def cancel(self, row_id: str) -> bool:
        """Remove a request not sent yet (waiting, or refused by the server). False when it
        is sending or sent (then it is the server's to withdraw) or unknown."""
        def remove(session: Session) -> int:
            gone = session.exec(delete(HelpRequest).where(HelpRequest.id == row_id,
                                                          HelpRequest.state.in_([WAITING, REFUSED]))).rowcount
            session.commit()
            return gone

        gone = self._write(remove)
        if gone:
            self.forget_sent_copies()
        return bool(gone)

    def proof(self, row_id: str) -> str | None:
        """What shows the server that this phone sent a delivered request (its idempotency
        key); None when there is none: delivered by an app from before the proof was kept."""
        with Session(self._engine) as session:
            row = session.get(HelpRequest, row_id)
        if row is None or row.state != SENT or row.receipt is None:
            return None
        try:
            proof = self._open(row_id, "receipt", row.receipt).get("proof")
        except sealing.CannotOpen:
            return None
        return proof if isinstance(proof, str) and proof else None

    def summaries(self) -> list[RequestSummary]:
        """Every request, newest first: kind, status, receipt and dates, never the contents."""
        with Session(self._engine) as session:
            rows = session.exec(select(HelpRequest).order_by(HelpRequest.created_at.desc())).all()
        listed = []
        for row in rows:
            try:
                if row.receipt is not None:
                    record = self._open(row.id, "receipt", row.receipt)
                else:
                    record = {"kind": self._open(row.id, "outgoing", row.outgoing or "")["kind"], "receipt": None,
                              "status": row.state, "updated_at": None, "message": None}
            except sealing.CannotOpen:
                continue
            updated = datetime.fromisoformat(record["updated_at"]) if record.get("updated_at") else row.updated_at
            listed.append(RequestSummary(
                id=row.id, kind=record["kind"], state=row.state, status=record["status"], receipt=record["receipt"],
                created_at=row.created_at, updated_at=updated, message=record.get("message"),
                problem=record.get("problem")))
        return listed

    def sent(self) -> list[RequestSummary]:
        return [summary for summary in self.summaries() if summary.state == SENT]
