"""Tables of help requests. Personal data is only ever in `sealed` columns (PyNaCl sealed
boxes, opened in memory); everything else is what routing and the inbox need."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

# A help request as received: sealed by the phone, routed to one National Society.
class HelpRequest(SQLModel, table=True):
    __tablename__ = "help_request"
    # One stored request per idempotency key, even when two repeats race (the database decides).
    __table_args__ = (UniqueConstraint("idempotency_key", name="uq_help_request_idempotency_key"),
                      UniqueConstraint("receipt", name="uq_help_request_receipt"))

    id: Optional[int] = Field(default=None, primary_key=True)
    idempotency_key: str = Field(max_length=64)
    # SHA-256 of the canonical body: a repeat with another body is refused.
    body_hash: str = Field(max_length=64)
    receipt: str = Field(max_length=19)
    kind: str = Field(max_length=16)
    society: Optional[str] = Field(default=None, max_length=2, index=True)  # None: no Society on the route
    route: str = Field(max_length=64)  # the phone's candidate countries, comma-separated
    key_id: Optional[str] = Field(default=None, max_length=16)
    sealed: Optional[bytes] = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    status: str = Field(default="delivered", max_length=16)  # delivered, in_progress, closed, withdrawn
    message: Optional[str] = Field(default=None, max_length=500)  # the caseworker's words to the requester
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


# A caseworker's note on a request, sealed to the current request key.
class RequestNote(SQLModel, table=True):
    __tablename__ = "request_note"

    id: Optional[int] = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="help_request.id", index=True, ondelete="CASCADE")
    author: str = Field(max_length=320)
    key_id: str = Field(max_length=16)
    sealed: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(sa_type=UTCDateTime)


# A request passed from one Society to another (kept as the request's history).
class Referral(SQLModel, table=True):
    __tablename__ = "request_referral"

    id: Optional[int] = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="help_request.id", index=True, ondelete="CASCADE")
    from_society: Optional[str] = Field(default=None, max_length=2)
    to_society: str = Field(max_length=2)
    created_at: datetime = Field(sa_type=UTCDateTime)
