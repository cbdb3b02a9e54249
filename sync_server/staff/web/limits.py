"""How large a staff form may be, and the page that says a text was too long.

The real server refuses a larger form before reading it (sync_server/serving/protocol.py);
`StaffFormLimit` does the same inside the app, so every way in gives the same answer. The
phone intake API (/api/) keeps its own much smaller limit (serving.server.Limits.max_body_bytes)."""

from __future__ import annotations

import html
import re

from starlette.types import ASGIApp, Receive, Scope, Send

STAFF_FORMS = "/staff/"
EDITOR_FORMS = "/staff/content/"
# The longest staff form is an article text of up to 100,000 characters (the content rule) in the
# editor or on the translation page, url-encoded: a character of a non-Latin script takes 9 bytes
# as %XX%XX%XX. Also under Starlette's 1 MiB limit on one field.
STAFF_FORM_MAX_BYTES = 1024 * 1024

_PAGE = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
         'content="width=device-width, initial-scale=1"><title>Too long</title>'
         '<link rel="stylesheet" href="/staff/static/staff.css"></head><body><main id="main">'
         "<h1>Nothing was saved</h1><p>{what} Go back with your browser's Back button (what you typed is "
         'usually still in the form), shorten it and save again.</p><p><a href="{back}">Back to the form</a> '
         "(opens it without your text)</p></main></body></html>")
_ARTICLE_TOO_LONG = "The text of the article is too long: an article text may be at most 100,000 characters."
_TEXT_TOO_LONG = "This text is too long to save: a staff form may hold at most about 100,000 characters."
# The last part of a form's address that names what it does, not a page.
_ACTIONS = {"note", "consent", "status", "refer", "disable", "approve", "reject", "withdraw", "restore", "logout"}
_SAFE_ADDRESS = re.compile(r"^/staff/[A-Za-z0-9/_.~%?=&-]*$")


def form_page(address: str) -> str:
    """The page a form at `address` (a POST's path and query) was on, to link back to it:
    /staff/inbox/R/note -> /staff/inbox/R, /staff/review/5/approve -> /staff/review."""
    if not _SAFE_ADDRESS.match(address):
        return "/staff/"
    path, _, query = address.partition("?")
    parts = path.rstrip("/").split("/")
    if parts[-1] in _ACTIONS:
        parts.pop()
        query = ""
        if parts[-1].isdigit():  # a change's or account's number: its list is the page
            parts.pop()
    page = "/".join(parts) or "/staff/"
    return f"{page}?{query}" if query else page


def too_large_page(address: str) -> str:
    """The HTML page (ASCII) that answers a staff form larger than STAFF_FORM_MAX_BYTES."""
    what = _ARTICLE_TOO_LONG if address.startswith(EDITOR_FORMS) else _TEXT_TOO_LONG
    return _PAGE.format(what=what, back=html.escape(form_page(address)))


def too_large(method: str, path: str, length: int | None) -> bool:
    return method == "POST" and path.startswith(STAFF_FORMS) and (length or 0) > STAFF_FORM_MAX_BYTES


class StaffFormLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            length = dict(scope.get("headers", [])).get(b"content-length", b"")
            if too_large(scope["method"], scope["path"], int(length) if length.isdigit() else None):
                query = scope.get("query_string", b"").decode("latin-1")
                body = too_large_page(scope["path"] + (f"?{query}" if query else "")).encode()
                await send({"type": "http.response.start", "status": 413, "headers": [
                    (b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                    (b"cache-control", b"no-store"), (b"connection", b"close")]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
