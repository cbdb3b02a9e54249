"""Server-side staff sessions: the cookie holds a random token, the database its SHA-256.

A session ends when it expires (ABSOLUTE after login, or IDLE without a request), at logout,
and at once when its account is disabled (the session is checked against the account on
every request, and disabling deletes the rows too).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, delete, select

from sync_server.staff.models import StaffAccount, StaffSession, utcnow

ABSOLUTE = timedelta(hours=8)
IDLE = timedelta(minutes=30)
# Writing last_seen_at at most this often keeps page views from being a write each.
_TOUCH_EVERY = timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# A logged-in staff member as a page sees it.
@dataclass(frozen=True)
class CurrentStaff:
    account: StaffAccount
    session: StaffSession


def start_session(*, session: Session, account: StaffAccount) -> str:
    """A new session for account; returns the token for the cookie (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    # Sessions that ended without a logout are forgotten here (a login is rare enough).
    session.exec(delete(StaffSession).where((StaffSession.expires_at <= now) | (StaffSession.last_seen_at <= now - IDLE)))
    session.add(StaffSession(token_hash=_hash(token), account_id=account.id, csrf_token=secrets.token_urlsafe(32),
                             created_at=now, last_seen_at=now, expires_at=now + ABSOLUTE))
    session.commit()
    return token


def current_staff(*, session: Session, token: str | None) -> CurrentStaff | None:
    """The staff member whose cookie holds token, or None (no, expired or ended session; disabled account)."""
    if not token:
        return None
    row = session.exec(select(StaffSession).where(StaffSession.token_hash == _hash(token))).first()
    if row is None:
        return None
    now = utcnow()
    account = session.get(StaffAccount, row.account_id)
    if account is None or account.disabled or now >= row.expires_at or now - row.last_seen_at >= IDLE:
        session.delete(row)
        session.commit()
        return None
    if now - row.last_seen_at >= _TOUCH_EVERY:
        row.last_seen_at = now
        session.add(row)
        session.commit()
        session.refresh(row)
    return CurrentStaff(account=account, session=row)


def end_session(*, session: Session, token: str) -> None:
    session.exec(delete(StaffSession).where(StaffSession.token_hash == _hash(token)))
    session.commit()


def keep_pending_totp(*, session: Session, row: StaffSession, secret: str | None) -> None:
    row.totp_pending = secret
    session.add(row)
    session.commit()
