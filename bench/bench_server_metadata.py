"""Conditional metadata requests (If-None-Match → 304) per second and p99 on loopback:
the sync server against nginx serving the same file as a plain static file, same run.
Uses wrk and nginx from Debian (`make bench` installs them). Prints figures only."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402

from app.content.source import read_source  # noqa: E402
from app.storage.paths import CONTENT_SOURCE_DIR  # noqa: E402
from sync_server.publishing.keys import generate_keys  # noqa: E402
from sync_server.local_process import free_port, running_sync_server  # noqa: E402
from sync_server.publishing.repository import Lifetimes, publish  # noqa: E402

SECONDS, CONNECTIONS, THREADS = 10, 32, 2
NGINX_CONF = """
worker_processes 2; daemon off; user root; pid {tmp}/nginx.pid; error_log {tmp}/error.log;
events {{ worker_connections 1024; }}
http {{ access_log off; types {{ application/json json; }} server {{ listen 127.0.0.1:{port}; root {root}; etag on; }} }}
"""


def _wrk(url: str, etag: str) -> tuple[float, str]:
    out = subprocess.run(
        ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", "-H", f"If-None-Match: {etag}", url],
        capture_output=True, text=True, check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+(\S+)", out).group(1)
    non_304 = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    assert non_304 is None, out
    return rps, p99


def _conditional(url: str) -> tuple[float, str]:
    etag = httpx.get(url).headers["etag"]
    assert httpx.get(url, headers={"If-None-Match": etag}).status_code == 304
    return _wrk(url, etag)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "server"
        publish(data / "repository", read_source(CONTENT_SOURCE_DIR), generate_keys(), now=datetime.now(timezone.utc),
                lifetimes=Lifetimes(timestamp=timedelta(days=7), snapshot=timedelta(days=30), targets=timedelta(days=90)))
        port = free_port()
        conf = Path(folder) / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=folder, port=port, root=data / "repository"))
        nginx = subprocess.Popen(["nginx", "-c", str(conf)])
        try:
            time.sleep(0.5)
            static_rps, static_p99 = _conditional(f"http://127.0.0.1:{port}/metadata/timestamp.json")
            print(f"nginx static file:        {static_rps:8.0f} req/s  p99 {static_p99}")
            for workers in (1, 2):
                with running_sync_server(data, workers=workers) as base:
                    rps, p99 = _conditional(f"{base}/repository/metadata/timestamp.json")
                    print(f"sync server, {workers} worker(s): {rps:8.0f} req/s  p99 {p99}  ({rps / static_rps:.2f}x nginx)")
        finally:
            nginx.terminate()
            nginx.wait(10)
        print(f"(wrk -t{THREADS} -c{CONNECTIONS} -d{SECONDS}s, conditional GET of timestamp.json answered 304)")


if __name__ == "__main__":
    main()
