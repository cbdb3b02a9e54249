"""The serving process against hostile clients on loopback: its memory before and after one
300 MiB request header, and how long 50 slow half-sent requests are held. Prints figures
only (the pass/fail checks are in tests/test_server_limits.py)."""

from __future__ import annotations

import select
import socket
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sync_server.local_process import serving_process  # noqa: E402
from tests.factories import sign_bundle  # noqa: E402

MIB = 1 << 20


def _memory_mib(pid: int, field: str) -> float:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(field)


def _huge_header(port: int, size: int) -> int:
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=30) as client:
        client.sendall(b"GET /health HTTP/1.1\r\nHost: bench\r\nX-Big: ")
        try:
            while sent < size:
                client.sendall(b"a" * MIB)
                sent += MIB
        except (BrokenPipeError, ConnectionResetError):
            pass
    return sent


def _slow_requests(port: int, count: int, give_up: float) -> tuple[int, float]:
    connections = [socket.create_connection(("127.0.0.1", port)) for _ in range(count)]
    for connection in connections:
        connection.sendall(b"GET /health HTTP/1.1\r\nHost: bench\r\n")
    start, held = time.monotonic(), set(connections)
    while held and time.monotonic() - start < give_up:
        readable, _, _ = select.select(list(held), [], [], 0.5)
        for connection in readable:
            held.discard(connection)
        for connection in held:
            try:
                connection.sendall(b"X-Drip: 1\r\n")
            except OSError:
                pass
    elapsed = time.monotonic() - start
    for connection in connections:
        connection.close()
    return len(held), elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        sign_bundle(data / "repository")
        with serving_process(data) as serving:
            pid = serving.process.pid
            before = _memory_mib(pid, "VmRSS")
            sent = _huge_header(serving.port, 300 * MIB)
            print(f"300 MiB header: server RSS {before:.0f} MB before, peak {_memory_mib(pid, 'VmHWM'):.0f} MB; "
                  f"connection closed after {sent / MIB:.0f} MiB sent")
            held, elapsed = _slow_requests(serving.port, 50, 60)
            print(f"50 slow half-sent requests (default 10 s header timeout): {held} still held, "
                  f"last dropped after {elapsed:.1f} s")


if __name__ == "__main__":
    main()
