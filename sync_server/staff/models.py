"""The staff tables: accounts, server-side sessions, login slow-down and the audit log.

Times are aware UTC datetimes (sqlmodel's UTCDateTime keeps them so on SQLite too).
Nothing here holds a request's contents; the audit log names accounts by id, never by email.
"""

from __future__ import annotations

from datetime import datetime, timezone
from enum import StrEnum

from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


# What a staff member may do; one role per account.
class Role(StrEnum):
    caseworker = "caseworker"
    editor = "editor"
    reviewer = "reviewer"
    admin = "admin"


# A staff member of one National Society (society = the ISO code of its country; admins act for all).
class StaffAccount(SQLModel, table=True):
    __tablename__ = "staff_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)  # stored lower-cased
    society: str = Field(max_length=2)
    role: str = Field(max_length=16)  # a Role value
    password_hash: str = Field(max_length=255)  # Argon2id, parameters inside (argon2-cffi)
    languages: str | None = Field(default=None, max_length=64)  # a reviewer's languages, e.g. "ne,hi"
    disabled: bool = False
    totp_secret: str | None = Field(default=None, max_length=64)  # base32; set = second factor on
    totp_last_step: int | None = None  # the last accepted 30 s step: a code is never accepted twice
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


# One logged-in browser: the cookie holds the token, the table only its SHA-256.
class StaffSession(SQLModel, table=True):
    __tablename__ = "staff_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    account_id: int = Field(foreign_key="staff_account.id", index=True)
    csrf_token: str = Field(max_length=64)  # synchronizer token put in every form of this session
    totp_pending: str | None = Field(default=None, max_length=64)  # a secret shown, not yet confirmed
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)


# Wrong logins per email, kept whether or not an account has that email (no enumeration).
class LoginThrottle(SQLModel, table=True):
    __tablename__ = "staff_login_throttle"

    key: str = Field(primary_key=True, max_length=64)  # SHA-256 of the lower-cased email, never the email
    failures: int = 0
    last_failure_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


# Who did what to which item, when: codes and ids only, never personal contents.
class AuditEntry(SQLModel, table=True):
    __tablename__ = "staff_audit"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    account_id: int | None = Field(default=None, index=True)  # None: nobody logged in (a refused login)
    action: str = Field(max_length=32)
    target: str | None = Field(default=None, max_length=64)  # a receipt or an account id
    society: str | None = Field(default=None, max_length=2)
