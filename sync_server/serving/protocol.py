"""uvicorn's httptools protocol with a bounded request head.

httptools buffers a header until it ends, however long it is (one 300 MiB header grew the
server by 570 MB), and uvicorn waits for a request head forever (slow half-sent requests
were all still held after 60 s). This guard closes a connection whose request line and
headers pass `max_header_bytes` (answering 431) or take longer than `header_timeout`
from the connection's first byte, or its previous response, (answering 408).

The repository is read with GET alone, so a request that announces a body (a length or
chunked transfer) is answered 413 and closed at once: a body, or the trailer fields after a
chunked one, would otherwise be buffered without limit or dripped in to hold a connection.
Only a POST under /api/ (the help-request intake) or /staff/ (staff forms) may carry one, with a
Content-Length of at most `max_body_bytes` for the intake (answered in the API's JSON error shape
otherwise) or STAFF_FORM_MAX_BYTES for a staff form (answered with an HTML page in plain words),
all of it within `header_timeout` of the head's end.
"""

from __future__ import annotations

import asyncio
import json
import logging
from functools import cache

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from sync_server.staff.web.limits import STAFF_FORM_MAX_BYTES, STAFF_FORMS, too_large_page
from sync_server.serving.server import Limits

logger = logging.getLogger(__name__)

@cache
def _limits() -> Limits:
    return Limits.from_env()


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._limits = _limits()
        self._head_bytes = 0
        self._reading_head = False
        self._head_deadline: asyncio.TimerHandle | None = None
        self._refused = False
        self._reading_body = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_deadline()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return  # the connection is closing: read nothing more
        if self._reading_head:
            self._head_bytes += len(data)
        super().data_received(data)
        # Checked after parsing, so a head that ended in this piece is never counted against
        # its body; httptools holds at most the limit plus one read.
        if self._reading_head and self._head_bytes > self._limits.max_header_bytes and not self.transport.is_closing():
            logger.warning("refused a request head longer than %d bytes", self._limits.max_header_bytes)
            self._refuse(431, "Request header fields too large")

    def on_message_begin(self) -> None:
        if self._refused:
            return
        super().on_message_begin()
        self._start_head()

    def on_headers_complete(self) -> None:
        self._reading_head = False
        self._stop_head_deadline()
        if self._parsed_head_bytes() > self._limits.max_header_bytes:
            # A whole oversized head in one read is parsed before data_received can count it.
            logger.warning("refused a request head longer than %d bytes", self._limits.max_header_bytes)
            self._refuse(431, "Request header fields too large")
            return
        if self._announces_body():
            if not self._api_post():
                logger.warning("refused a request with a body")
                self._refuse(413, "Requests with a body are not accepted")
                return
            length = dict(self.headers).get(b"content-length", b"").strip()
            if not length.isdigit():
                self._refuse_json(411, "length_required", "Send the request with a Content-Length.")
                return
            if self.url.startswith(STAFF_FORMS.encode()):
                if int(length) > STAFF_FORM_MAX_BYTES:
                    logger.warning("refused a staff form longer than %d bytes", STAFF_FORM_MAX_BYTES)
                    self._refuse(413, too_large_page(self.url.decode("latin-1")),
                                 content_type=b"text/html; charset=utf-8", no_store=True)
                    return
            elif int(length) > self._limits.max_body_bytes:
                self._refuse_json(413, "too_large", f"A request may be at most {self._limits.max_body_bytes} bytes.")
                return
            # The body has the head's time limit too: a dripped body cannot hold the connection.
            self._reading_body = True
            self._head_deadline = self.loop.call_later(self._limits.header_timeout, self._head_too_slow)
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        if not self._refused:
            super().on_body(body)

    def on_message_complete(self) -> None:
        if self._reading_body:
            self._reading_body = False
            self._stop_head_deadline()
        if not self._refused:
            super().on_message_complete()

    def _api_post(self) -> bool:
        # /staff/: the staff pages' forms (small, url-encoded; CSRF-checked by sync_server.staff).
        return self.parser.get_method() == b"POST" and self.url.startswith((b"/api/", b"/staff/"))

    def _parsed_head_bytes(self) -> int:
        """The request line and headers as parsed (what the wire held, less a few separators)."""
        return len(self.url) + sum(len(name) + len(value) + 4 for name, value in self.headers)

    def _announces_body(self) -> bool:
        return any(name == b"transfer-encoding" or (name == b"content-length" and value.strip() != b"0")
                   for name, value in self.headers)

    def _start_head(self) -> None:
        if not self._reading_head:
            self._reading_head = True
            self._head_bytes = 0
        if self._head_deadline is None:
            self._head_deadline = self.loop.call_later(self._limits.header_timeout, self._head_too_slow)

    def _stop_head_deadline(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_too_slow(self) -> None:
        self._head_deadline = None
        if (self._reading_head or self._reading_body) and not self.transport.is_closing():
            logger.debug("closed a connection that sent no complete request head within %.0f s",
                        self._limits.header_timeout)
            self._refuse(408, "Request timeout")

    def _refuse_json(self, status: int, code: str, message: str) -> None:
        kind = "a staff form" if self.url.startswith(STAFF_FORMS.encode()) else "an intake request"
        logger.warning("refused %s: %s", kind, code)
        body = json.dumps({"detail": {"code": code, "message": message}})
        self._refuse(status, body, content_type=b"application/json")

    def _refuse(self, status: int, message: str, *, content_type: bytes = b"text/plain; charset=utf-8",
                no_store: bool = False) -> None:
        self._refused = True
        self._reading_head = self._reading_body = False
        self._stop_head_deadline()
        body = message.encode("ascii")
        self.transport.write(b"".join([
            STATUS_LINE[status], b"content-type: ", content_type, b"\r\n",
            b"content-length: ", str(len(body)).encode("ascii"), b"\r\n",
            b"cache-control: no-store\r\n" if no_store else b"", b"connection: close\r\n\r\n", body,
        ]))
        self.transport.close()
