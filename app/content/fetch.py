"""Getting repository files: from a folder (the embedded bundle) or over HTTP.

Every fetch is capped at the length the caller allows (a server that sends endless data
is cut off), retried with capped, jittered exponential backoff on network faults, and
large files resume from where a broken download stopped.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol

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


def _header_bytes(response: httpx.Response) -> int:
    """Size of the status line and headers as sent, so byte counts match the wire."""
    return len(b"HTTP/1.1 200 OK\r\n") + sum(len(k) + len(v) + 4 for k, v in response.headers.raw) + 2


# How hard to try before giving up.
@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6
    total_seconds: float = 120.0
    wait_initial: float = 0.5
    wait_max: float = 8.0
    wait_jitter: float = 1.0


# Fetches over HTTP with retries and resume; counts every byte that came over the wire.
@dataclass
class HttpFetcher:
    client: httpx.Client
    base_url: str
    partial_dir: Path | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    on_bytes: Callable[[int], None] | None = None
    should_stop: Callable[[], bool] | None = None
    bytes_downloaded: int = 0

    def _url(self, path: str) -> str:
        return self.base_url.rstrip("/") + "/" + path

    def fetch(self, path: str, max_length: int) -> bytes:
        partial = self._partial_path(path)
        try:
            for attempt in stamina.retry_context(
                on=_Transient,
                attempts=self.retry.attempts,
                timeout=self.retry.total_seconds,
                wait_initial=self.retry.wait_initial,
                wait_max=self.retry.wait_max,
                wait_jitter=self.retry.wait_jitter,
            ):
                with attempt:
                    return self._fetch_once(path, max_length, partial)
        except _Transient as error:
            raise FetchError(f"{path}: {error}", error.reason) from None
        raise AssertionError("unreachable")

    def _partial_path(self, path: str) -> Path | None:
        # Only files named by their hash can be resumed safely: the bytes never change.
        name = path.rsplit("/", 1)[-1]
        if self.partial_dir is None or not path.startswith("targets/") or len(name.split(".", 1)[0]) != 64:
            return None
        return self.partial_dir / name

    def _fetch_once(self, path: str, max_length: int, partial: Path | None) -> bytes:
        if self.should_stop and self.should_stop():
            raise Cancelled()
        have = partial.read_bytes() if partial is not None and partial.exists() else b""
        if len(have) >= max_length:  # a whole (or too long) piece that failed its check: start again
            partial.unlink(missing_ok=True)
            have = b""
        headers = {"Range": f"bytes={len(have)}-", "Accept-Encoding": "identity"} if have else {}
        try:
            with self.client.stream("GET", self._url(path), headers=headers) as response:
                self._count(_header_bytes(response))
                if response.status_code == 404:
                    raise NotFound(path)
                if response.status_code >= 500 or response.status_code == 429:
                    raise _Transient(f"HTTP {response.status_code}")
                resumed_elsewhere = response.status_code == 206 and not response.headers.get(
                    "content-range", "").startswith(f"bytes {len(have)}-")
                if have and (response.status_code == 416 or resumed_elsewhere):
                    partial.unlink(missing_ok=True)  # the server cannot continue this piece
                    raise _Transient(f"cannot resume: HTTP {response.status_code}")
                if response.status_code not in (200, 206):
                    raise FetchError(f"{path}: HTTP {response.status_code}", Reason.server_refused)
                if response.headers.get("content-type", "").startswith("text/html"):
                    raise CaptivePortal(path)
                body = bytearray(have if response.status_code == 206 else b"")
                counted = response.num_bytes_downloaded
                for chunk in response.iter_bytes():
                    self._count(response.num_bytes_downloaded - counted)
                    counted = response.num_bytes_downloaded
                    body += chunk
                    if len(body) > max_length:
                        raise TooLarge(path, max_length)
                    if self.should_stop and self.should_stop():
                        self._keep(partial, body)
                        raise Cancelled()
        except httpx.DecodingError as error:  # garbled on the way: what arrived is worth nothing
            raise _Transient(type(error).__name__, Reason.mangled) from None
        except httpx.TransportError as error:
            if partial is not None and "body" in locals():
                self._keep(partial, body)
            raise _Transient(type(error).__name__) from None
        if partial is not None:
            partial.unlink(missing_ok=True)
        return bytes(body)

    def _count(self, wire_bytes: int) -> None:
        self.bytes_downloaded += wire_bytes
        if self.on_bytes and wire_bytes:
            self.on_bytes(wire_bytes)

    @staticmethod
    def _keep(partial: Path | None, body: bytearray) -> None:
        if partial is not None and body:
            partial.parent.mkdir(parents=True, exist_ok=True)
            tmp = partial.with_suffix(".tmp")
            tmp.write_bytes(bytes(body))
            os.replace(tmp, partial)
