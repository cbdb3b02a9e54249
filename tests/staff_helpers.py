"""Shared by the staff tests: a database, accounts of each role, and logging in over HTTP."""

from __future__ import annotations

import re

import httpx
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, create_engine

import sync_server.staff.models  # noqa: F401  (registers the staff tables)
from sync_server.staff.accounts import create_account

PASSWORD = "a long staff password"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def memory_engine():
    """One in-memory SQLite database shared by every connection (sqlmodel docs, app_testing)."""
    engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
    SQLModel.metadata.create_all(engine)
    return engine


def add_account(engine, email: str, *, role: str = "caseworker", society: str = "NP") -> int:
    with Session(engine) as session:
        return create_account(session=session, email=email, society=society, role=role, password=PASSWORD).id


def csrf_token(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def log_in(client: httpx.Client, email: str, password: str = PASSWORD, code: str = "") -> httpx.Response:
    """Open the login page, send the form with its token; returns the answer to the POST."""
    form = client.get("/staff/login")
    return client.post("/staff/login", data={"csrf_token": csrf_token(form.text), "email": email,
                                             "password": password, "code": code}, follow_redirects=False)


def page_token(client: httpx.Client, path: str = "/staff/") -> str:
    """The CSRF token the forms of a logged-in page carry."""
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    return csrf_token(page.text)
