"""The web client's files are compressed once, not once for every visitor.

Flet's engine and scripts are about 5 MB compressed; gzip takes about 0.3 s of the server's CPU
for each of the two largest, at every first load. The first compressed answer for an address is
kept; later visitors get it after the file server confirms (If-None-Match, answered 304 without
reading the file) that the file has not changed since. The page itself is never kept: it speaks
the language the person chose (app/web_client.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.middleware.gzip import GZipMiddleware

from app.web_client import is_page_address

# Flet's client compressed is about 12 MB with every font; more than that is not the client.
MAX_KEPT_BYTES = 48 * 1024 * 1024
# A client that already holds a copy, or asks for a part of one, is answered by the file server.
_OWN_COPY_HEADERS = (b"if-none-match", b"if-modified-since", b"range", b"if-range")
_LENGTH_HEADERS = (b"content-length", b"transfer-encoding")


@dataclass(frozen=True)
class _KeptAnswer:
    etag: bytes
    headers: list[tuple[bytes, bytes]]
    body: bytes


def _asks_for_gzip(headers: list) -> bool:
    return any(key == b"accept-encoding" and b"gzip" in value for key, value in headers)


def _may_keep(scope) -> bool:
    if scope["type"] != "http" or scope["method"] != "GET" or is_page_address(scope["path"].lstrip("/")):
        return False
    headers = scope["headers"]
    return _asks_for_gzip(headers) and not any(key in _OWN_COPY_HEADERS for key, _ in headers)


class CompressOnce:
    """ASGI middleware: gzip (as GZipMiddleware does), keeping each compressed file to send again."""

    def __init__(self, app, *, minimum_size: int, level: int, max_kept_bytes: int = MAX_KEPT_BYTES) -> None:
        self.app = GZipMiddleware(app, minimum_size=minimum_size, compresslevel=level)
        self.max_kept_bytes = max_kept_bytes
        self.kept: dict[bytes, _KeptAnswer] = {}

    def _kept_bytes(self) -> int:
        return sum(len(answer.body) for answer in self.kept.values())

    async def __call__(self, scope, receive, send) -> None:
        if not _may_keep(scope):
            await self.app(scope, receive, send)
            return
        key = scope["path"].encode() + b"?" + scope.get("query_string", b"")
        kept = self.kept.get(key)
        if kept is not None:
            scope = dict(scope, headers=[*scope["headers"], (b"if-none-match", kept.etag)])
        state: dict = {}
        chunks: list[bytes] = []

        async def relay(message) -> None:
            if message["type"] == "http.response.start":
                if kept is not None and message["status"] == 304:
                    state["replaying"] = True
                    await send({"type": "http.response.start", "status": 200, "headers": kept.headers})
                    await send({"type": "http.response.body", "body": kept.body, "more_body": False})
                    return
                self.kept.pop(key, None)  # changed since, or not answered: keep the new one
                headers = dict(message.get("headers", []))
                if message["status"] == 200 and headers.get(b"content-encoding") == b"gzip" and b"etag" in headers:
                    state["recording"] = message
                await send(message)
                return
            if state.get("replaying"):
                return  # the 304's empty body
            if "recording" in state and message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    self._keep(key, state.pop("recording"), b"".join(chunks))
            await send(message)

        await self.app(scope, receive, relay)

    def _keep(self, key: bytes, start: dict, body: bytes) -> None:
        if self._kept_bytes() + len(body) > self.max_kept_bytes:
            return
        headers = [(k, v) for k, v in start.get("headers", []) if k not in _LENGTH_HEADERS]
        headers.append((b"content-length", str(len(body)).encode()))
        self.kept[key] = _KeptAnswer(dict(headers)[b"etag"], headers, body)
