"""A slow mobile link for benchmarks: `tc tbf` caps bandwidth on a veth pair into a network
namespace, and a TCP relay adds the round-trip delay (there is no netem on these kernels).
Only the namespace this script creates is ever a target."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import threading
import time
from typing import Iterator

NAMESPACE = "sj2g"
HOST_IP, PHONE_IP = "10.231.0.1", "10.231.0.2"


def _run(*command: str, namespace: bool = False) -> None:
    prefix = ["ip", "netns", "exec", NAMESPACE] if namespace else []
    subprocess.run(prefix + list(command), check=True)


@contextlib.contextmanager
def slow_link(rate: str = "100kbit") -> Iterator[None]:
    """A namespace whose only way out is a veth capped at `rate` in both directions."""
    subprocess.run(["ip", "netns", "del", NAMESPACE], capture_output=True)
    subprocess.run(["ip", "link", "del", "sjv0"], capture_output=True)
    try:
        _run("ip", "netns", "add", NAMESPACE)
        _run("ip", "link", "add", "sjv0", "type", "veth", "peer", "name", "sjv1")
        _run("ip", "link", "set", "sjv1", "netns", NAMESPACE)
        _run("ip", "addr", "add", f"{HOST_IP}/24", "dev", "sjv0")
        _run("ip", "link", "set", "sjv0", "up")
        _run("ip", "addr", "add", f"{PHONE_IP}/24", "dev", "sjv1", namespace=True)
        _run("ip", "link", "set", "sjv1", "up", namespace=True)
        _run("ip", "link", "set", "lo", "up", namespace=True)
        tbf = ["root", "tbf", "rate", rate, "burst", "1600", "latency", "2000ms"]
        _run("tc", "qdisc", "add", "dev", "sjv0", *tbf)
        _run("tc", "qdisc", "add", "dev", "sjv1", *tbf, namespace=True)
        yield
    finally:
        subprocess.run(["ip", "link", "del", "sjv0"], capture_output=True)
        subprocess.run(["ip", "netns", "del", NAMESPACE], capture_output=True)


class DelayRelay:
    """Forwards HOST_IP:port → 127.0.0.1:upstream, holding every chunk `one_way` seconds
    in each direction, so each request/response exchange costs one round trip."""

    def __init__(self, upstream_port: int, one_way: float) -> None:
        self.upstream_port, self.one_way = upstream_port, one_way
        self._loop = asyncio.new_event_loop()
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(self._loop)
            server = self._loop.run_until_complete(asyncio.start_server(self._handle, HOST_IP, 0))
            self.port = server.sockets[0].getsockname()[1]
            ready.set()
            self._loop.run_forever()

        threading.Thread(target=run, daemon=True).start()
        ready.wait(10)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        queue: asyncio.Queue = asyncio.Queue()

        async def deliver() -> None:
            while (item := await queue.get()) is not None:
                due, chunk = item
                await asyncio.sleep(max(0.0, due - time.monotonic()))
                writer.write(chunk)
                await writer.drain()
            writer.close()

        sender = asyncio.create_task(deliver())
        while chunk := await reader.read(65536):
            queue.put_nowait((time.monotonic() + self.one_way, chunk))
        queue.put_nowait(None)
        await sender

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        with contextlib.suppress(ConnectionError):
            await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
