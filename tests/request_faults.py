"""A loopback proxy that breaks help-request traffic the way bad networks do: a request
dropped before it reaches the server, a connection reset after the server answered (the
phone never hears the receipt), and a request delivered twice. Which fault hits which
request comes from a seeded random sequence, so a run is repeatable."""

from __future__ import annotations

import asyncio
import random
import socket
import struct
from collections import Counter

from tests.faultproxy import LoopbackProxy


async def _read_request(reader: asyncio.StreamReader) -> bytes | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        return None
    length = 0
    lines = head.decode("latin-1").split("\r\n")
    kept = [lines[0]]
    for line in lines[1:]:
        name = line.split(":", 1)[0].strip().lower()
        if name == "content-length":
            length = int(line.split(":", 1)[1])
        if name != "connection" and line:
            kept.append(line)
    body = await reader.readexactly(length) if length else b""
    # One request per upstream connection: the server closes after answering.
    return ("\r\n".join(kept) + "\r\nConnection: close\r\n\r\n").encode("latin-1") + body


def _reset(writer: asyncio.StreamWriter) -> None:
    sock = writer.get_extra_info("socket")
    if sock is not None:  # SO_LINGER 0: close sends RST, not FIN
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.close()


class RequestFaultProxy(LoopbackProxy):
    FAULTS = ("pass", "drop", "reset_after", "duplicate")

    def __init__(self, upstream_port: int, *, seed: int, weights=(0.55, 0.15, 0.15, 0.15)) -> None:
        self.upstream_port = upstream_port
        self.random = random.Random(seed)
        self.weights = weights
        self.seen: Counter[str] = Counter()
        self.forwarded = 0  # requests passed on to the server
        self._start()

    async def _forward(self, request: bytes) -> bytes:
        self.forwarded += 1
        reader, writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        writer.write(request)
        await writer.drain()
        response = await reader.read()  # until the server closes
        writer.close()
        return response

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                request = await _read_request(reader)
                if request is None:
                    break
                fault = self.random.choices(self.FAULTS, self.weights)[0]
                self.seen[fault] += 1
                if fault == "drop":
                    _reset(writer)
                    return
                response = await self._forward(request)
                if fault == "duplicate":
                    response = await self._forward(request)
                if fault == "reset_after":
                    _reset(writer)
                    return
                writer.write(response)
                await writer.drain()
                break  # the response says nothing about keep-alive: one request per connection
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        writer.close()

    def close(self) -> None:
        self._loop.call_soon_threadsafe(self._server.close)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
