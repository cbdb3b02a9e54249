"""`python -m sync_server user add|disable`: staff accounts from the command line (the first
admin of a server is made here; later accounts too, since the admin page only disables)."""

from __future__ import annotations

import argparse
import sys

from sqlmodel import Session

from sync_server.staff import audit
from sync_server.staff.accounts import AccountError, create_account, disable_account, find_account, reset_account
from sync_server.db import engine_for, migrate_database
from sync_server.requests.routing import societies
from sync_server.staff.passwords import MIN_LENGTH, PasswordTooShort

# What each refusal says to the person at the terminal.
_MESSAGES = {
    "bad_email": "That is not an email address.",
    "bad_society": "--ns takes the two-letter ISO code of the Society's country, in capitals (e.g. NP).",
    "bad_role": "--role is one of caseworker, editor, reviewer, admin.",
    "bad_language": "--lang takes a language code in small letters, like ne or hi.",
    "email_taken": "An account with that email already exists.",
    "unknown_account": "No account has that email.",
    "no_society": "The content names no National Society in that country (content/contacts/CC.yaml "
                  "has no national_society contact), so no request would ever reach this account.",
}


def _engine(data):
    engine = engine_for(data)
    migrate_database(engine)
    return engine


def _fail(message: str) -> None:
    print(message, file=sys.stderr)
    raise SystemExit(2)


def add_user(args: argparse.Namespace) -> None:
    password = sys.stdin.readline().rstrip("\r\n")
    if args.ns not in societies():
        _fail(_MESSAGES["bad_society" if len(args.ns) != 2 or not args.ns.isupper() else "no_society"])
    engine = _engine(args.data)
    with Session(engine) as session:
        try:
            account = create_account(session=session, email=args.email, society=args.ns, role=args.role,
                                     password=password, languages=tuple(args.lang or ()))
        except PasswordTooShort:
            _fail(f"The password must have at least {MIN_LENGTH} characters (read from standard input).")
        except AccountError as error:
            _fail(_MESSAGES[error.code])
        audit.record(session, account_id=None, action="account_add", target=str(account.id), society=account.society)
        print(f"Added {account.role} account {account.id} of Society {account.society}.")


def disable_user(args: argparse.Namespace) -> None:
    engine = _engine(args.data)
    with Session(engine) as session:
        account = find_account(session=session, email=args.email)
        if account is None:
            _fail(_MESSAGES["unknown_account"])
        disable_account(session=session, account_id=account.id)
        audit.record(session, account_id=None, action="account_disable", target=str(account.id))
        print(f"Disabled account {account.id}; its sessions have ended.")


def reset_user(args: argparse.Namespace) -> None:
    password = sys.stdin.readline().rstrip("\r\n")
    engine = _engine(args.data)
    with Session(engine) as session:
        account = find_account(session=session, email=args.email)
        if account is None:
            _fail(_MESSAGES["unknown_account"])
        try:
            reset_account(session=session, account_id=account.id, password=password)
        except PasswordTooShort:
            _fail(f"The password must have at least {MIN_LENGTH} characters (read from standard input).")
        audit.record(session, account_id=None, action="account_reset", target=str(account.id))
        print(f"Account {account.id} has a new password and is enabled; its second factor is off "
              "and its old sessions have ended.")
