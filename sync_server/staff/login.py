"""Checking a login: email, password and (when turned on) a one-time code, slowed after wrong tries.

After FREE_TRIES wrong logins for an email, each next try must wait longer (2 s, 4 s, 8 s, …,
at most MAX_WAIT); the wait starts again from nothing a day after the last wrong try or at the
next right login. Nothing is ever locked for good. Tries are counted per email whether or not
an account has it, and every refusal is the same LoginRefused, so a page cannot tell which
emails have accounts.
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta, timezone

from sqlmodel import Session, col, delete, update

from sync_server.staff import totp
from sync_server.staff.accounts import find_account, normal_email
from sync_server.staff.models import LoginThrottle, StaffAccount, utcnow
from sync_server.staff.passwords import verify_password

FREE_TRIES = 5
MAX_WAIT = timedelta(minutes=15)
FORGET_AFTER = timedelta(days=1)


class LoginRefused(Exception):
    """Wrong email, password or code, or a disabled account: the page says the same for all."""


class SlowDown(Exception):
    """Too many wrong tries: try again after retry_after seconds (the password was not checked)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def wait_after(failures: int) -> timedelta:
    """How long the next try waits after `failures` wrong ones in a row."""
    if failures < FREE_TRIES:
        return timedelta(0)
    return min(timedelta(seconds=2 ** min(failures - FREE_TRIES + 1, 20)), MAX_WAIT)


def _key(email: str) -> str:
    return hashlib.sha256(normal_email(email).encode()).hexdigest()


def _claim_try(session: Session, key: str, now: datetime) -> LoginThrottle | None:
    """Count this try as a wrong one before the password is checked, or raise SlowDown.

    Counted first and by compare-and-set (the row changes only if nobody changed it since it
    was read), so tries sent at once cannot all pass the same wait: one goes on, the others
    are slowed. A right login then forgets the count."""
    row = session.get(LoginThrottle, key)
    if row is None:
        session.exec(_insert_ignoring_duplicates(session, key))
        session.commit()
        row = session.get(LoginThrottle, key)
        if row is None:  # forgotten again by another try's clean-up
            raise SlowDown(1)
    seen_failures, seen_at = row.failures, row.last_failure_at
    failures = 0 if now - seen_at >= FORGET_AFTER else seen_failures
    ready_at = seen_at + wait_after(failures)
    if failures and now < ready_at:
        raise SlowDown(max(1, math.ceil((ready_at - now).total_seconds())))
    claimed = session.exec(
        update(LoginThrottle)
        .where(col(LoginThrottle.key) == key, col(LoginThrottle.failures) == seen_failures,
               col(LoginThrottle.last_failure_at) == seen_at)
        .values(failures=failures + 1, last_failure_at=now)).rowcount
    # Rows of emails nobody tried for a day are forgotten (unknown emails must not pile up).
    session.exec(delete(LoginThrottle).where(col(LoginThrottle.last_failure_at) < now - FORGET_AFTER))
    session.commit()
    if claimed != 1:  # another try for this email went first
        raise SlowDown(1)
    return session.get(LoginThrottle, key)


def _insert_ignoring_duplicates(session: Session, key: str):
    """A fresh count for `key` (never tried: counts as long ago), unless a try at once made it."""
    values = {"key": key, "failures": 0, "last_failure_at": datetime(2000, 1, 1, tzinfo=timezone.utc)}
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(LoginThrottle).values(**values).on_conflict_do_nothing(index_elements=["key"])


def authenticate(*, session: Session, email: str, password: str, code: str = "",
                 now: datetime | None = None) -> StaffAccount:
    """The account these credentials open, or LoginRefused / SlowDown."""
    now = now or utcnow()
    key = _key(email)
    row = _claim_try(session, key, now)
    account = find_account(session=session, email=email)
    password_ok = verify_password(account.password_hash if account else None, password)
    step = None
    if account is not None and password_ok and account.totp_secret:
        step = totp.accepted_step(account.totp_secret, code, last_step=account.totp_last_step,
                                  now=now.timestamp())
    if account is None or account.disabled or not password_ok or (account.totp_secret and step is None):
        raise LoginRefused()  # already counted by _claim_try
    if step is not None:
        account.totp_last_step = step
        session.add(account)
    if row is not None:
        session.delete(row)
    session.commit()
    session.refresh(account)
    return account
