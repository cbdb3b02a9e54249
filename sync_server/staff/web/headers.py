"""Security headers on every /staff/ answer: no framing, no scripts, nothing cached."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

STAFF_PREFIX = "/staff"

# No page uses JavaScript; styles come from our own stylesheet only.
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    # Staff pages show requests' personal data: no browser or proxy may keep a copy.
    (b"cache-control", b"no-store"),
]


class StaffHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not (path == STAFF_PREFIX or path.startswith(STAFF_PREFIX + "/")):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in HEADERS}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message["headers"] = [*kept, *HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)
