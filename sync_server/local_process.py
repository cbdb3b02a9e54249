"""A real sync server process on a free loopback port (tests, benchmarks, the demo)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterator, Sequence

import httpx

from sync_server.paths import REPO_ROOT

SERVE_MODULE = (sys.executable, "-m", "sync_server")


def free_port() -> int:
    """A loopback port nothing listens on now, chosen by the OS.

    Under `pytest -n` (pytest-xdist sets PYTEST_XDIST_WORKER=gwN and PYTEST_XDIST_WORKER_COUNT)
    each worker only takes ports of its own share, so two workers never hand out the same port
    in the seconds between choosing it and a server binding it.
    """
    worker, count = os.environ.get("PYTEST_XDIST_WORKER", ""), os.environ.get("PYTEST_XDIST_WORKER_COUNT", "")
    share = (int(worker[2:]), int(count)) if worker[2:].isdigit() and count.isdigit() and int(count) > 1 else None
    for _ in range(1000):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        # bind(0) prefers odd ports on Linux, hence the share by port // 2.
        if share is None or (port // 2) % share[1] == share[0] % share[1]:
            return port
    return port


# A started `serve` process and where it answers.
@dataclass(frozen=True)
class ServingProcess:
    base: str
    port: int
    process: subprocess.Popen


# A busy machine (the test suite runs on every core) can take tens of seconds to start a server;
# one that exits is noticed at once.
def wait_until_answering(url: str, process: subprocess.Popen, *, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"{url} did not answer") from None
            time.sleep(0.1)


@contextlib.contextmanager
def serving_process(data: Path, *, workers: int = 1, options: Sequence[str] = (),
                    launcher: Sequence[str] = SERVE_MODULE, output: IO | None = None) -> Iterator[ServingProcess]:
    """`python -m sync_server serve` (through `launcher`) with extra `options`, stopped on exit;
    its log goes to `output` when given."""
    port = free_port()
    server = subprocess.Popen(
        [*launcher, "serve", "--host", "127.0.0.1", "--port", str(port), "--data", str(data),
         "--workers", str(workers), *options],
        cwd=REPO_ROOT, stdout=output, stderr=subprocess.STDOUT if output else None,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(f"{base}/health", server)
        yield ServingProcess(base, port, server)
    finally:
        server.terminate()
        server.wait(timeout=10)


@contextlib.contextmanager
def running_sync_server(data: Path, *, workers: int = 1) -> Iterator[str]:
    with serving_process(data, workers=workers) as serving:
        yield serving.base
