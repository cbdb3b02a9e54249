"""How large a content form may be, and the page that says a text was too long.

The real server refuses a larger form before reading it (sync_server/serving/protocol.py);
`EditorFormLimit` does the same inside the app, so every way in gives the same answer."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

EDITOR_FORMS = "/staff/content/"
# An article text of up to 100,000 characters (the content rule), url-encoded: a character of a
# non-Latin script takes 9 bytes as %XX%XX%XX. Also under Starlette's 1 MiB limit on one field.
EDITOR_FORM_MAX_BYTES = 1024 * 1024
# No field of a form this big is read, so the page names the one that can be that long.
TOO_LARGE_PAGE = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Too long</title></head>'
                  "<body><main><h1>Nothing was saved</h1><p>The text of the article is too long: an article text "
                  "may be at most 100,000 characters. Go back, shorten it and save again.</p></main></body></html>")


def too_large(method: str, path: str, length: int | None) -> bool:
    return method == "POST" and path.startswith(EDITOR_FORMS) and (length or 0) > EDITOR_FORM_MAX_BYTES


class EditorFormLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            length = dict(scope.get("headers", [])).get(b"content-length", b"")
            if too_large(scope["method"], scope["path"], int(length) if length.isdigit() else None):
                body = TOO_LARGE_PAGE.encode()
                await send({"type": "http.response.start", "status": 413, "headers": [
                    (b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close")]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
