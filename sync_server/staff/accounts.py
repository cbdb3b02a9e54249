"""Writes to staff accounts: small keyword-only functions that commit and return."""

from __future__ import annotations

import re

from sqlmodel import Session, delete, select

from sync_server.staff.models import Role, StaffAccount, StaffSession
from sync_server.staff.passwords import hash_password

_SOCIETY = re.compile(r"^[A-Z]{2}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


class AccountError(ValueError):
    """A refused account change; the code names the reason (the page or command picks the words)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def normal_email(email: str) -> str:
    return email.strip().lower()


def create_account(*, session: Session, email: str, society: str, role: str, password: str,
                   languages: tuple[str, ...] = ()) -> StaffAccount:
    """A new account; `languages` are the language codes a reviewer reviews (issue 14)."""
    email = normal_email(email)
    if not _EMAIL.match(email) or len(email) > 254:
        raise AccountError("bad_email")
    if not _SOCIETY.match(society):
        raise AccountError("bad_society")
    if role not in Role.__members__:
        raise AccountError("bad_role")
    if not all(_LANGUAGE.match(code) for code in languages) or len(",".join(languages)) > 64:
        raise AccountError("bad_language")
    if find_account(session=session, email=email) is not None:
        raise AccountError("email_taken")
    account = StaffAccount(email=email, society=society, role=role, password_hash=hash_password(password),
                           languages=",".join(dict.fromkeys(languages)) or None)
    session.add(account)
    session.commit()
    session.refresh(account)
    return account


def find_account(*, session: Session, email: str) -> StaffAccount | None:
    return session.exec(select(StaffAccount).where(StaffAccount.email == normal_email(email))).first()


def list_accounts(*, session: Session) -> list[StaffAccount]:
    return list(session.exec(select(StaffAccount).order_by(StaffAccount.society, StaffAccount.email)))


def disable_account(*, session: Session, account_id: int) -> StaffAccount:
    """Disable the account and end all its sessions in the same transaction."""
    account = session.get(StaffAccount, account_id)
    if account is None:
        raise AccountError("unknown_account")
    account.disabled = True
    session.add(account)
    session.exec(delete(StaffSession).where(StaffSession.account_id == account_id))
    session.commit()
    return account


def reset_account(*, session: Session, account_id: int, password: str) -> StaffAccount:
    """A new password, the account enabled again and its second factor off (the person lost it,
    or their device), every old session ended: what an admin does for a locked-out colleague."""
    account = session.get(StaffAccount, account_id)
    if account is None:
        raise AccountError("unknown_account")
    account.password_hash = hash_password(password)
    account.disabled = False
    account.totp_secret = account.totp_last_step = None
    session.add(account)
    session.exec(delete(StaffSession).where(StaffSession.account_id == account_id))
    session.commit()
    return account


def set_totp(*, session: Session, account: StaffAccount, secret: str | None, step: int | None) -> None:
    """Turn the second factor on (secret, the step of the code that confirmed it) or off (None)."""
    account.totp_secret = secret
    account.totp_last_step = step
    session.add(account)
    session.commit()
