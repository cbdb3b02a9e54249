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
from datetime import datetime, timedelta

from sqlmodel import Session, delete

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


def _check_wait(row: LoginThrottle | None, now: datetime) -> None:
    if row is None or now - row.last_failure_at >= FORGET_AFTER:
        return
    ready_at = row.last_failure_at + wait_after(row.failures)
    if now < ready_at:
        raise SlowDown(max(1, math.ceil((ready_at - now).total_seconds())))


def _count_failure(session: Session, row: LoginThrottle | None, key: str, now: datetime) -> None:
    if row is None or now - row.last_failure_at >= FORGET_AFTER:
        row = row or LoginThrottle(key=key)
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    session.add(row)
    # Rows of emails nobody tried for a day are forgotten (unknown emails must not pile up).
    session.exec(delete(LoginThrottle).where(LoginThrottle.last_failure_at < now - FORGET_AFTER))
    session.commit()


def authenticate(*, session: Session, email: str, password: str, code: str = "",
                 now: datetime | None = None) -> StaffAccount:
    """The account these credentials open, or LoginRefused / SlowDown."""
    now = now or utcnow()
    key = _key(email)
    row = session.get(LoginThrottle, key)
    _check_wait(row, now)
    account = find_account(session=session, email=email)
    password_ok = verify_password(account.password_hash if account else None, password)
    step = None
    if account is not None and password_ok and account.totp_secret:
        step = totp.accepted_step(account.totp_secret, code, last_step=account.totp_last_step,
                                  now=now.timestamp())
    if account is None or account.disabled or not password_ok or (account.totp_secret and step is None):
        _count_failure(session, row, key, now)
        raise LoginRefused()
    if step is not None:
        account.totp_last_step = step
        session.add(account)
    if row is not None:
        session.delete(row)
    session.commit()
    session.refresh(account)
    return account
