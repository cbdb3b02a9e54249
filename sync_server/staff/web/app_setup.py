"""Wire the staff pages into the server's FastAPI app: routers, headers, errors, stylesheet."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlmodel import Session

from sync_server.staff.web.deps import CsrfRefused, Forbidden, LoginNeeded, optional_staff
from sync_server.staff.web.form_errors import form_error_context
from sync_server.staff.web.headers import STAFF_PREFIX, StaffHeaders
from sync_server.staff.web.pages import pages, router
from sync_server.staff.web.templating import STAFF_STATIC


def add_staff_pages(app: FastAPI, *routers) -> None:
    """Serve /staff/ (login, accounts, second factor) and the given staff routers, on the
    server database the app already opened (app.state.db_engine, sync_server.db)."""
    app.add_middleware(StaffHeaders)
    app.mount("/staff/static", StaticFiles(directory=STAFF_STATIC), name="staff-static")
    app.include_router(router)
    for extra in routers:
        app.include_router(extra)

    @app.exception_handler(LoginNeeded)
    async def login_needed(request: Request, _error: LoginNeeded):
        return RedirectResponse("/staff/login", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, _error: Forbidden):
        return _error_page(request, "forbidden.html", 403)

    @app.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, _error: CsrfRefused):
        return _error_page(request, "csrf_refused.html", 403)

    @app.exception_handler(RequestValidationError)
    async def form_refused(request: Request, error: RequestValidationError):
        """A staff form FastAPI refused (too long, missing): a page in words; the API keeps its JSON."""
        if not (request.url.path + "/").startswith(STAFF_PREFIX + "/"):
            return await request_validation_exception_handler(request, error)
        return _error_page(request, "form_error.html", 422, await form_error_context(request, error))


def _error_page(request: Request, name: str, status_code: int, context: dict | None = None):
    with Session(request.app.state.db_engine) as db:
        staff = optional_staff(request, db)
        return pages.render(request, name, context, staff=staff, status_code=status_code)
