"""Getting repository files: from a folder (the embedded bundle) or over HTTP.

The network may lie, so every HTTP fetch is bounded: at most the length the caller allows,
decompressed by a decoder that never produces more than that (a gzip bomb stays small),
never slower than a minimum rate for long, never past the time one sync may take (retries
included), and stopped at once by a cancel. Captive portals (a login page, a redirect to
another host, 511) are recognised as such. Network faults are retried with capped,
jittered exponential backoff, and large files resume from where a broken download stopped.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import weakref
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx
import stamina

from app.content.errors import Reason, SyncFailure


class FetchError(SyncFailure):
    """A file could not be fetched (the reason says how)."""


class NotFound(FetchError):
    reason = Reason.server_refused

    def __init__(self, path: str) -> None:
        super().__init__(f"{path}: not found")


class CaptivePortal(FetchError):
    reason = Reason.captive_portal

    def __init__(self, path: str, how: str = "a web page came back instead") -> None:
        super().__init__(f"{path}: {how}")


class TooLarge(FetchError):
    """More bytes than signed metadata allows: the server is not playing by the rules."""

    reason = Reason.refused

    def __init__(self, path: str, limit: int) -> None:
        super().__init__(f"{path}: more than {limit} bytes")


class Cancelled(FetchError):
    reason = Reason.cancelled

    def __init__(self) -> None:
        super().__init__("cancelled")


_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title", b"<script")


def looks_like_html(first_bytes: bytes) -> bool:
    """A body that starts like a web page: what captive portals send whatever was asked for.

    No repository file starts with "<": metadata and items are JSON."""
    return first_bytes.lstrip(b"\xef\xbb\xbf \t\r\n")[:16].lower().startswith(_HTML_STARTS)


class _Transient(Exception):
    """A fault worth another try: a dropped or stalled connection, a server error."""

    def __init__(self, detail: str, reason: Reason = Reason.unreachable) -> None:
        super().__init__(detail)
        self.reason = reason


class Fetcher(Protocol):
    bytes_downloaded: int

    def fetch(self, path: str, max_length: int) -> bytes: ...


# Reads a repository laid out in a folder, such as the bundle inside the app.
@dataclass
class LocalFetcher:
    root: Path
    bytes_downloaded: int = 0

    def fetch(self, path: str, max_length: int) -> bytes:
        try:
            with (self.root / path).open("rb") as handle:
                data = handle.read(max_length + 1)
        except FileNotFoundError:
            raise NotFound(path) from None
        except OSError as error:
            raise FetchError(f"{path}: {error}", Reason.bundle_damaged) from None
        if len(data) > max_length:
            raise TooLarge(path, max_length)
        self.bytes_downloaded += len(data)
        if looks_like_html(data[:64]):
            raise CaptivePortal(path, "the file is a web page")
        return data


def _least(*seconds: float | None) -> float:
    return max(0.001, min(s for s in seconds if s is not None))


def _header_bytes(response: httpx.Response) -> int:
    """Size of the status line and headers as sent, so byte counts match the wire."""
    return len(b"HTTP/1.1 200 OK\r\n") + sum(len(k) + len(v) + 4 for k, v in response.headers.raw) + 2


# How hard to try, and how long and how slowly, before giving up.
@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6
    # The whole sync, every file and retry included. With a last read of at most
    # `read_timeout`, a sync gives up well within 3 minutes.
    total_seconds: float = 150.0
    wait_initial: float = 0.5
    wait_max: float = 8.0
    wait_jitter: float = 1.0
    read_timeout: float = 20.0
    # Slower than this over a whole window is a drip-feed, not a weak link (2G does ~10 kB/s).
    min_bytes_per_second: float = 256.0
    rate_window_seconds: float = 15.0


class CancelToken:
    """Stops a sync from another thread (a Cancel button), even in the middle of a read.

    `cancel()` shuts down the sockets the sync opened, so a read blocked on a silent
    server returns at once instead of after its timeout.
    """

    def __init__(self) -> None:
        self._event = threading.Event()
        self._sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        self._lock = threading.Lock()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def cancel(self) -> None:
        self._event.set()
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.add(sock)
        if self.cancelled:
            self.cancel()


class _Decoder:
    """Undoes Content-Encoding without ever producing more than the caller will keep."""

    def __init__(self, path: str, encoding: str) -> None:
        coding = encoding.strip().lower()
        if coding in ("", "identity"):
            self._zlib = None
        elif coding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16)
        else:  # "gzip, gzip", br, … : we asked for gzip or nothing
            raise FetchError(f"{path}: unexpected Content-Encoding {encoding!r}", Reason.mangled)

    def feed(self, chunk: bytes, room: int) -> bytes:
        """Up to room + 1 bytes of output (one more than allowed is enough to know it is too much)."""
        if self._zlib is None:
            return chunk
        try:
            return self._zlib.decompress(self._zlib.unconsumed_tail + chunk, room + 1)
        except zlib.error as error:
            raise _Transient(f"gzip: {error}", Reason.mangled) from None

    @property
    def compressed(self) -> bool:
        return self._zlib is not None

    def finished(self) -> bool:
        return self._zlib is None or self._zlib.eof


# Fetches over HTTP with retries and resume; counts every byte that came over the wire.
@dataclass
class HttpFetcher:
    client: httpx.Client
    base_url: str
    partial_dir: Path | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    cancel: CancelToken | None = None
    bytes_downloaded: int = 0
    # Server time minus phone time, from the last response's Date header (None: not known).
    clock_offset: timedelta | None = None
    # The ETag of each file as last received whole (a later check can ask "still this one?").
    etags: dict[str, str] = field(default_factory=dict)
    _deadline: float | None = None

    def _url(self, path: str) -> str:
        return self.base_url.rstrip("/") + "/" + path

    def _remaining(self) -> float:
        if self._deadline is None:  # the sync's clock starts with its first request
            self._deadline = time.monotonic() + self.retry.total_seconds
        return self._deadline - time.monotonic()

    def _check_cancel(self) -> None:
        if self.cancel is not None and self.cancel.cancelled:
            raise Cancelled()

    def fetch(self, path: str, max_length: int) -> bytes:
        partial = self._partial_path(path)
        try:
            for attempt in stamina.retry_context(
                on=_Transient,
                attempts=self.retry.attempts,
                timeout=max(0.001, self._remaining()),  # retries share the sync's time
                wait_initial=self.retry.wait_initial,
                wait_max=self.retry.wait_max,
                wait_jitter=self.retry.wait_jitter,
            ):
                with attempt:
                    return self._fetch_once(path, max_length, partial)
        except _Transient as error:
            reason = Reason.too_slow if self._remaining() <= 0 else error.reason
            raise FetchError(f"{path}: {error}", reason) from None
        raise AssertionError("unreachable")

    def unchanged(self, path: str, etag: str, max_length: int) -> bool:
        """One conditional request, no retry: True when the server answers 304 (still `etag`).

        A check that finds nothing new costs this one small exchange. Any other answer
        (a new file, a portal page, an error) is read up to `max_length` and dropped: the
        full check that follows fetches and verifies what is there.
        """
        self._check_cancel()
        remaining = self._remaining()
        asked = self.client.timeout
        timeout = httpx.Timeout(connect=_least(asked.connect, remaining), read=_least(asked.read, self.retry.read_timeout, remaining),
                                write=_least(asked.write, remaining), pool=_least(asked.pool, remaining))
        try:
            with self.client.stream("GET", self._url(path), headers={"If-None-Match": etag, "Accept-Encoding": "gzip"},
                                    timeout=timeout, extensions={"trace": self._trace}) as response:
                self._count(_header_bytes(response))
                self._note_clock(response)
                if response.status_code == 304:
                    return response.headers.get("etag", etag) == etag
                counted = 0
                for chunk in response.iter_raw():
                    counted += len(chunk)
                    self._count(len(chunk))
                    if counted > max_length:
                        break
                return False
        except httpx.TransportError as error:
            self._check_cancel()  # a cancel shuts the socket: that is not a network fault
            raise FetchError(f"{path}: {type(error).__name__}", Reason.unreachable) from None

    def _partial_path(self, path: str) -> Path | None:
        # Only files named by their hash can be resumed safely: the bytes never change.
        name = path.rsplit("/", 1)[-1]
        if self.partial_dir is None or not path.startswith("targets/") or len(name.split(".", 1)[0]) != 64:
            return None
        return self.partial_dir / name

    def _trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace hook: learn each new socket, so a cancel can shut it."""
        if event == "connection.connect_tcp.complete" and self.cancel is not None:
            stream = info.get("return_value")
            self.cancel.watch(stream.get_extra_info("socket") if stream is not None else None)

    def _note_clock(self, response: httpx.Response) -> None:
        try:
            server = parsedate_to_datetime(response.headers["date"])
        except (KeyError, TypeError, ValueError):
            return
        if server.tzinfo is None:
            server = server.replace(tzinfo=timezone.utc)
        self.clock_offset = server - datetime.now(timezone.utc)

    def _fetch_once(self, path: str, max_length: int, partial: Path | None) -> bytes:
        self._check_cancel()
        remaining = self._remaining()
        if remaining <= 0:
            raise FetchError(f"{path}: out of time", Reason.too_slow)
        have = partial.read_bytes() if partial is not None and partial.exists() else b""
        if len(have) >= max_length:  # a whole (or too long) piece that failed its check: start again
            partial.unlink(missing_ok=True)
            have = b""
        # gzip is worth it on a slow link, and our decoder is bounded; a resumed range is raw.
        headers = {"Range": f"bytes={len(have)}-", "Accept-Encoding": "identity"} if have else {"Accept-Encoding": "gzip"}
        asked = self.client.timeout  # the caller's limits, never longer than the sync has left
        timeout = httpx.Timeout(connect=_least(asked.connect, remaining), read=_least(asked.read, self.retry.read_timeout, remaining),
                                write=_least(asked.write, remaining), pool=_least(asked.pool, remaining))
        body = bytearray()
        try:
            with self.client.stream("GET", self._url(path), headers=headers, timeout=timeout,
                                    extensions={"trace": self._trace}) as response:
                self._count(_header_bytes(response))
                self._note_clock(response)
                self._check_status(path, response, have, partial)
                if response.status_code == 206:
                    body += have
                decoder = _Decoder(path, response.headers.get("content-encoding", ""))
                self._read_body(path, response, decoder, body, max_length, partial)
                if response.status_code == 200 and response.headers.get("etag"):
                    self.etags[path] = response.headers["etag"]
        except httpx.TransportError as error:
            self._check_cancel()  # a cancel shuts the socket: that is not a network fault
            self._keep(partial, body)
            raise _Transient(type(error).__name__) from None
        except _Transient:
            self._keep(partial, body)
            raise
        if partial is not None:
            partial.unlink(missing_ok=True)
        return bytes(body)

    def _check_status(self, path: str, response: httpx.Response, have: bytes, partial: Path | None) -> None:
        status = response.status_code
        if status == 511:
            raise CaptivePortal(path, "HTTP 511: the network wants a login")
        if 300 <= status < 400:
            target = urlsplit(str(response.headers.get("location", "")))
            if target.hostname and target.hostname != response.request.url.host:
                raise CaptivePortal(path, f"HTTP {status} to another host")
            raise FetchError(f"{path}: HTTP {status}", Reason.server_refused)
        if status == 404:
            raise NotFound(path)
        if status >= 500 or status == 429:
            raise _Transient(f"HTTP {status}")
        resumed_elsewhere = status == 206 and not response.headers.get("content-range", "").startswith(f"bytes {len(have)}-")
        if have and (status == 416 or resumed_elsewhere):
            partial.unlink(missing_ok=True)  # the server cannot continue this piece
            raise _Transient(f"cannot resume: HTTP {status}")
        if status not in (200, 206):
            raise FetchError(f"{path}: HTTP {status}", Reason.server_refused)
        content_type = response.headers.get("content-type", "").strip().lower()
        if content_type.startswith(("text/html", "application/xhtml")):
            raise CaptivePortal(path)

    def _read_body(
        self, path: str, response: httpx.Response, decoder: _Decoder, body: bytearray, max_length: int, partial: Path | None
    ) -> None:
        counted = response.num_bytes_downloaded
        window_start, window_bytes, first = time.monotonic(), 0, True
        for chunk in response.iter_raw():
            wire = response.num_bytes_downloaded - counted
            counted = response.num_bytes_downloaded
            self._count(wire)
            self._check_cancel()
            body += decoder.feed(chunk, max_length - len(body))
            if len(body) > max_length:
                if decoder.compressed:  # a garbled (or hostile) stream: retried, then a network fault
                    raise _Transient(f"decompresses to more than {max_length} bytes", Reason.mangled)
                raise TooLarge(path, max_length)
            if first and body:
                first = False
                if looks_like_html(bytes(body[:64])):
                    raise CaptivePortal(path, "the file is a web page")
            now = time.monotonic()
            if now >= self._deadline:
                self._keep(partial, body)
                raise FetchError(f"{path}: out of time after {len(body)} bytes", Reason.too_slow)
            window_bytes += wire
            if now - window_start >= self.retry.rate_window_seconds:
                if window_bytes / (now - window_start) < self.retry.min_bytes_per_second:
                    raise _Transient(f"{window_bytes} bytes in {now - window_start:.0f} s", Reason.too_slow)
                window_start, window_bytes = now, 0
        if not decoder.finished():
            raise _Transient("compressed body cut short", Reason.mangled)

    def _count(self, wire_bytes: int) -> None:
        self.bytes_downloaded += wire_bytes

    @staticmethod
    def _keep(partial: Path | None, body: bytearray) -> None:
        if partial is not None and body:
            partial.parent.mkdir(parents=True, exist_ok=True)
            tmp = partial.with_suffix(".tmp")
            tmp.write_bytes(bytes(body))
            os.replace(tmp, partial)
