"""The shared /staff/ pages: login, logout, home, the second factor, and the admin's account list."""

from __future__ import annotations

import logging
import math
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from sync_server.staff import audit, totp
from sync_server.staff.accounts import AccountError, disable_account, list_accounts, set_totp
from sync_server.staff.login import LoginRefused, SlowDown, authenticate
from sync_server.staff.models import Role
from sync_server.staff.sessions import CurrentStaff, end_session, keep_pending_totp, start_session
from sync_server.staff.web.deps import (
    LOGIN_COOKIE, SESSION_COOKIE, Admin, AnyStaff, OptionalStaff, SessionDep, check_csrf, cookie_is_secure,
    new_login_token, require,
)
from sync_server.staff.web.templating import Pages

logger = logging.getLogger(__name__)

# HTML pages, not an API: left out of the OpenAPI schema (the intake API is what it describes).
router = APIRouter(prefix="/staff", dependencies=[Depends(check_csrf)], include_in_schema=False)
pages = Pages()

# Who may turn on the second factor (issue 13: admins and caseworkers).
TotpStaff = Annotated[CurrentStaff, Depends(require(Role.admin, Role.caseworker))]


def _cookie_options(request: Request) -> dict:
    return {"httponly": True, "samesite": "strict", "secure": cookie_is_secure(request), "path": "/staff"}


def wait_words(seconds: int) -> str:
    """How long to wait, as the login page says it: "a minute", "15 minutes" (never seconds)."""
    minutes = max(1, math.ceil(seconds / 60))
    return "a minute" if minutes == 1 else f"{minutes} minutes"


def _login_page(request: Request, *, error: str | None = None, retry_after: int | None = None,
                status_code: int = 200):
    token = request.cookies.get(LOGIN_COOKIE) or new_login_token()
    headers = {"Retry-After": str(retry_after)} if retry_after else None
    response = pages.render(request, "login.html", {"login_token": token, "error": error,
                                                    "wait": wait_words(retry_after) if retry_after else None},
                            status_code=status_code, headers=headers)
    response.set_cookie(LOGIN_COOKIE, token, **_cookie_options(request))
    return response


@router.get("/login")
def login_form(request: Request, staff: OptionalStaff):
    if staff is not None:
        return RedirectResponse("/staff/", status_code=303)
    return _login_page(request)


@router.post("/login")
def login(request: Request, db: SessionDep, email: Annotated[str, Form(max_length=254)],
          password: Annotated[str, Form(max_length=1024)], code: Annotated[str, Form(max_length=16)] = ""):
    try:
        account = authenticate(session=db, email=email, password=password, code=code)
    except SlowDown as slow:
        audit.record(db, account_id=None, action="login_slowed")
        return _login_page(request, error="slow", retry_after=slow.retry_after, status_code=429)
    except LoginRefused:
        audit.record(db, account_id=None, action="login_refused")
        return _login_page(request, error="refused", status_code=401)
    token = start_session(session=db, account=account)
    audit.record(db, account_id=account.id, action="login", society=account.society)
    response = RedirectResponse("/staff/", status_code=303)
    response.set_cookie(SESSION_COOKIE, token, **_cookie_options(request))
    response.delete_cookie(LOGIN_COOKIE, path="/staff")
    return response


@router.post("/logout")
def logout(request: Request, db: SessionDep, staff: AnyStaff):
    end_session(session=db, token=request.cookies[SESSION_COOKIE])
    audit.record(db, account_id=staff.account.id, action="logout", society=staff.account.society)
    response = RedirectResponse("/staff/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/staff")
    return response


@router.get("/")
def home(request: Request, staff: AnyStaff):
    return pages.render(request, "home.html", staff=staff)


@router.get("/account/second-factor")
def second_factor(request: Request, db: SessionDep, staff: TotpStaff):
    secret = None
    if not staff.account.totp_secret:
        secret = staff.session.totp_pending or totp.new_secret()
        keep_pending_totp(session=db, row=staff.session, secret=secret)
    return pages.render(request, "second_factor.html", {
        "secret": secret, "uri": totp.provisioning_uri(secret, staff.account.email) if secret else None,
        "error": request.query_params.get("error") == "code",
    }, staff=staff)


@router.post("/account/second-factor")
def second_factor_change(db: SessionDep, staff: TotpStaff, code: Annotated[str, Form(max_length=16)]):
    """Turn the second factor on (a code from the shown secret) or off (a code from the current one)."""
    account = staff.account
    turning_on = not account.totp_secret
    secret = staff.session.totp_pending if turning_on else account.totp_secret
    step = totp.accepted_step(secret, code, last_step=account.totp_last_step) if secret else None
    if step is None:
        return RedirectResponse("/staff/account/second-factor?error=code", status_code=303)
    set_totp(session=db, account=account, secret=secret if turning_on else None, step=step if turning_on else None)
    keep_pending_totp(session=db, row=staff.session, secret=None)
    audit.record(db, account_id=account.id, action="totp_on" if turning_on else "totp_off", society=account.society)
    return RedirectResponse("/staff/account/second-factor", status_code=303)


@router.get("/admin/accounts")
def accounts(request: Request, db: SessionDep, staff: Admin):
    audit.record(db, account_id=staff.account.id, action="accounts_view")
    return pages.render(request, "accounts.html", {"accounts": list_accounts(session=db),
                                                   "error": request.query_params.get("error")}, staff=staff)


@router.post("/admin/accounts/{account_id}/disable")
def disable(account_id: int, db: SessionDep, staff: Admin):
    if account_id == staff.account.id:  # an admin cannot lock every admin out by mistake
        return RedirectResponse("/staff/admin/accounts?error=self", status_code=303)
    try:
        disable_account(session=db, account_id=account_id)
    except AccountError:
        return RedirectResponse("/staff/admin/accounts?error=unknown", status_code=303)
    audit.record(db, account_id=staff.account.id, action="account_disable", target=str(account_id))
    logger.info("staff account %s disabled; its sessions ended", account_id)
    return RedirectResponse("/staff/admin/accounts", status_code=303)


@router.get("/admin/audit")
def audit_log(request: Request, db: SessionDep, staff: Admin):
    audit.record(db, account_id=staff.account.id, action="audit_view")
    return pages.render(request, "audit.html", {"entries": audit.entries(db)}, staff=staff)
