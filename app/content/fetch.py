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

from app.i18n import _


class FetchError(Exception):
    """A file could not be fetched; `message` is safe to show a user."""

    def __init__(self, detail: str, message: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.message = message


class NotFound(FetchError):
    def __init__(self, path: str) -> None:
        super().__init__(f"{path}: not found", _("The update server does not have this file."))


class CaptivePortal(FetchError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"{path}: a web page came back instead",
            _("This network sent a web page instead of the update. If the Wi-Fi asks you to log in, "
              "do that first, then try again. Your information is safe."),
        )


class TooLarge(FetchError):
    def __init__(self, path: str, limit: int) -> None:
        super().__init__(
            f"{path}: more than {limit} bytes",
            _("The update server sent more data than expected, so the update was stopped."),
        )


class Cancelled(FetchError):
    def __init__(self) -> None:
        super().__init__("cancelled", _("The update was stopped."))


class _Transient(Exception):
    """A fault worth another try: a dropped or stalled connection, a server error."""


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
            raise FetchError(f"{path}: {error}", _("A file of the built-in information could not be read.")) from None
        if len(data) > max_length:
            raise TooLarge(path, max_length)
        self.bytes_downloaded += len(data)
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
            raise FetchError(
                f"{path}: {error}",
                _("The connection is too weak or keeps dropping. Your information is safe. Try again later."),
            ) from None
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
                    raise FetchError(f"{path}: HTTP {response.status_code}", _("The update server refused the request."))
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
        except (httpx.TransportError, httpx.DecodingError) as error:
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
