"""An HTTP proxy on loopback that breaks responses on purpose: resets, cuts, corrupted
bytes, stalls, captive-portal pages (200 HTML, redirects, 511), slow links, drip-feeds,
decompression bombs and lying Date headers. Each request gets its own upstream
connection, so a fault hits exactly the requests whose path matches."""

from __future__ import annotations

import asyncio
import functools
import re
import socket
import struct
import threading
import zlib
from dataclasses import dataclass

_PORTAL_PAGE = b"<html><body><h1>Please log in to use the Wi-Fi</h1></body></html>"


@functools.cache
def gzip_bomb(expanded_bytes: int, layers: int) -> bytes:
    """Zeros, gzipped `layers` times: each layer shrinks them about a thousand-fold."""
    if layers == 0:
        return bytes(expanded_bytes)
    squeeze = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(1 << 20)
    data = b"".join(squeeze.compress(block) for _ in range(expanded_bytes >> 20)) + squeeze.flush()
    for _ in range(layers - 1):
        data = zlib.compress(data, 9, wbits=zlib.MAX_WBITS | 16)
    return data


def _response(status: str, headers: dict[str, str], body: bytes) -> bytes:
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers.items()),
             f"Content-Length: {len(body)}", "Connection: close", "", ""]
    return "\r\n".join(lines).encode("latin-1") + body


# What to break, where, and how many times (None: until cleared).
@dataclass
class Fault:
    # reset | cut | corrupt | stall | portal | slow | drip | bomb | redirect | status | date
    kind: str
    path_contains: str = ""
    at_byte: int = 0
    times: int | None = None
    bytes_per_second: int = 0
    delay_seconds: float = 0.0
    plain: bool = False  # ask upstream for an uncompressed body, so a corrupted byte reaches the hash check
    content_type: str = "text/html"  # portal: the page's type
    body: bytes = _PORTAL_PAGE  # portal and status: what the page says
    status: str = "511 Network Authentication Required"  # status: the status line
    location: str = "http://login.portal.test/wifi"  # redirect: where to
    encoding: str = "gzip"  # bomb: Content-Encoding as sent (layers = number of "gzip"s)
    expanded_bytes: int = 1 << 30  # bomb: size once decompressed
    date: str = ""  # date: the Date header the response carries instead


class LoopbackProxy:
    """A proxy on a free loopback port, its asyncio loop in a thread; subclasses give `_handle`."""

    def _start(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        self._ready.wait(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()


class FaultProxy(LoopbackProxy):
    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.fault: Fault | None = None
        self.hits = 0
        # Every request seen (its path) and the bytes each way, for tests that count them.
        self.requests: list[str] = []
        self.bytes_from_client = 0
        self.bytes_to_client = 0
        self._start()

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    async def _shutdown(self) -> None:
        self._server.close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def set_fault(self, fault: Fault | None) -> None:
        self.fault, self.hits = fault, 0

    def _active(self, path: str) -> Fault | None:
        fault = self.fault
        if fault is None or fault.path_contains not in path:
            return None
        if fault.times is not None and self.hits >= fault.times:
            return None
        self.hits += 1
        return fault

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            writer.close()
            return
        path = head.split(b" ", 2)[1].decode("latin-1")
        self.requests.append(path)
        self.bytes_from_client += len(head)
        fault = self._active(path)
        made = self._made_up(fault) if fault is not None else None
        if made is not None:
            writer.write(made)
            await writer.drain()
            writer.close()
            return
        dropped = (b"connection:", b"accept-encoding:") if fault is not None and fault.plain else (b"connection:",)
        lines = [line for line in head.split(b"\r\n") if line and not line.lower().startswith(dropped)]
        request = b"\r\n".join(lines) + b"\r\nConnection: close\r\n\r\n"
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:  # the server is down: the phone sees its connection closed
            writer.close()
            return
        up_writer.write(request)
        await up_writer.drain()
        response = await up_reader.read()
        up_writer.close()
        await self._send(writer, response, fault)

    @staticmethod
    def _made_up(fault: Fault) -> bytes | None:
        """A response the proxy answers by itself, without asking upstream."""
        if fault.kind == "portal":
            return _response("200 OK", {"Content-Type": fault.content_type}, fault.body)
        if fault.kind == "status":
            return _response(fault.status, {"Content-Type": fault.content_type}, fault.body)
        if fault.kind == "redirect":
            return _response("302 Found", {"Location": fault.location, "Content-Type": "text/plain"}, b"")
        if fault.kind == "bomb":
            body = gzip_bomb(fault.expanded_bytes, fault.encoding.count("gzip"))
            return _response("200 OK", {"Content-Type": "application/json", "Content-Encoding": fault.encoding}, body)
        return None

    async def _send(self, writer: asyncio.StreamWriter, response: bytes, fault: Fault | None) -> None:
        self.bytes_to_client += len(response)
        body_start = response.find(b"\r\n\r\n") + 4
        at = body_start + (fault.at_byte if fault else 0)
        try:
            if fault is None:
                writer.write(response)
            elif fault.kind == "corrupt":
                index = min(at, len(response) - 1)
                writer.write(response[:index] + bytes([response[index] ^ 0xFF]) + response[index + 1:])
            elif fault.kind in ("cut", "reset", "stall"):
                writer.write(response[:at])
                await writer.drain()
                if fault.kind == "stall":
                    await asyncio.sleep(fault.delay_seconds or 30)
                elif fault.kind == "reset":
                    sock = writer.get_extra_info("socket")
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    writer.transport.abort()
                    return
            elif fault.kind == "date":
                head, sep, rest = response.partition(b"\r\n\r\n")
                head = re.sub(rb"(?im)^date:.*$\r?\n?", b"", head).rstrip(b"\r\n")
                status_line, _, headers = head.partition(b"\r\n")
                writer.write(status_line + b"\r\nDate: " + fault.date.encode() + b"\r\n" + headers + sep + rest)
            elif fault.kind == "drip":  # headers at once, then one byte every delay_seconds
                writer.write(response[:body_start])
                for offset in range(body_start, len(response)):
                    await writer.drain()
                    await asyncio.sleep(fault.delay_seconds)
                    writer.write(response[offset:offset + 1])
            elif fault.kind == "slow":
                await asyncio.sleep(fault.delay_seconds)
                step = max(1, fault.bytes_per_second // 20)
                for offset in range(0, len(response), step):
                    writer.write(response[offset:offset + step])
                    await writer.drain()
                    await asyncio.sleep(0.05)
            await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()
