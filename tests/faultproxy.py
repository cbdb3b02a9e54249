"""An HTTP proxy on loopback that breaks responses on purpose: resets, cuts, corrupted
bytes, stalls, captive-portal pages and slow links. Each request gets its own upstream
connection, so a fault hits exactly the requests whose path matches."""

from __future__ import annotations

import asyncio
import socket
import struct
import threading
from dataclasses import dataclass

_PORTAL_PAGE = b"<html><body><h1>Please log in to use the Wi-Fi</h1></body></html>"
CAPTIVE_PORTAL = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
    % len(_PORTAL_PAGE)
) + _PORTAL_PAGE


# What to break, where, and how many times (None: until cleared).
@dataclass
class Fault:
    kind: str  # reset | cut | corrupt | stall | portal | slow
    path_contains: str = ""
    at_byte: int = 0
    times: int | None = None
    bytes_per_second: int = 0
    delay_seconds: float = 0.0
    plain: bool = False  # ask upstream for an uncompressed body, so a corrupted byte reaches the hash check


class FaultProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.fault: Fault | None = None
        self.hits = 0
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
        fault = self._active(path)
        if fault is not None and fault.kind == "portal":
            writer.write(CAPTIVE_PORTAL)
            await writer.drain()
            writer.close()
            return
        dropped = (b"connection:", b"accept-encoding:") if fault is not None and fault.plain else (b"connection:",)
        lines = [line for line in head.split(b"\r\n") if line and not line.lower().startswith(dropped)]
        request = b"\r\n".join(lines) + b"\r\nConnection: close\r\n\r\n"
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        up_writer.write(request)
        await up_writer.drain()
        response = await up_reader.read()
        up_writer.close()
        await self._send(writer, response, fault)

    async def _send(self, writer: asyncio.StreamWriter, response: bytes, fault: Fault | None) -> None:
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
