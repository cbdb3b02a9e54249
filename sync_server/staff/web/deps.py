"""FastAPI dependencies: the database session, the logged-in staff member, role checks and CSRF.

Every permission check is one dependency (`require(...)`), never re-written in a route. Every
POST under /staff/ passes `check_csrf`, attached to the staff routers themselves.

CSRF: a synchronizer token (OWASP's first recommendation) kept in the server-side session row
and put in every form. We already hold a session row per browser, so the token needs no extra
cookie, signing key or library; starlette-csrf / asgi-csrf (double-submit cookies) would add a
second secret mechanism beside it. Before login there is no session: the login form uses a
double-submit token instead (a random HttpOnly, SameSite=Strict cookie the form must repeat),
which stops a forged cross-site login.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Callable

from fastapi import Depends, Request

from sync_server.db import SessionDep
from sync_server.staff.models import Role
from sync_server.staff.sessions import CurrentStaff, current_staff

SESSION_COOKIE = "sj_staff"
LOGIN_COOKIE = "sj_login"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class LoginNeeded(Exception):
    """No (valid) session: the page sends the browser to the login page."""


class Forbidden(Exception):
    """Logged in, but this role or Society may not see this."""


class CsrfRefused(Exception):
    """A state-changing request without the form's valid token."""


def optional_staff(request: Request, db: SessionDep) -> CurrentStaff | None:
    return current_staff(session=db, token=request.cookies.get(SESSION_COOKIE))


OptionalStaff = Annotated[CurrentStaff | None, Depends(optional_staff)]


def require(*roles: Role) -> Callable[..., CurrentStaff]:
    """A dependency that lets through only a logged-in staff member with one of roles."""

    def dependency(staff: OptionalStaff) -> CurrentStaff:
        if staff is None:
            raise LoginNeeded()
        if staff.account.role not in roles:
            raise Forbidden()
        return staff

    return dependency


AnyStaff = Annotated[CurrentStaff, Depends(require(*Role))]
Admin = Annotated[CurrentStaff, Depends(require(Role.admin))]


async def check_csrf(request: Request, staff: OptionalStaff) -> None:
    """Refuse a POST whose form does not repeat this browser's token (see the module's docstring)."""
    if request.method in SAFE_METHODS:
        return
    form = await request.form()  # Starlette keeps the parsed form: the route reads it again for free
    sent = form.get(CSRF_FIELD)
    expected = staff.session.csrf_token if staff else request.cookies.get(LOGIN_COOKIE)
    if not isinstance(sent, str) or not expected or not secrets.compare_digest(sent.encode(), expected.encode()):
        raise CsrfRefused()


def new_login_token() -> str:
    return secrets.token_urlsafe(32)


def cookie_is_secure(request: Request) -> bool:
    """Secure cookies whenever the page came over https (behind a proxy: uvicorn's proxy headers)."""
    return request.url.scheme == "https"
