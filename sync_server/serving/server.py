"""Run the serving process: uvicorn with limits a hostile client cannot push past.

In production the repository is plain static files: serve them with nginx or a CDN
(sync_server/deploy/nginx.conf) and run this process only where something dynamic is
needed. When it does face the internet, every connection has a bounded request head
(size and time) and each worker a bounded number of connections.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass
from pathlib import Path

from sync_server.paths import repository_dir

DATA_ENV = "SAFE_JOURNEY_SYNC_DATA"
LIMITS_ENV = "SAFE_JOURNEY_SYNC_LIMITS"


# What one serving worker allows a client; passed to workers through the environment.
@dataclass(frozen=True)
class Limits:
    # A phone's request head is a few hundred bytes; 16 KiB leaves room for proxies' headers.
    max_header_bytes: int = 16 * 1024
    # Seconds to send the request line and headers, however slowly it drips in.
    header_timeout: float = 10.0
    # Connections (and tasks) at once per worker; more are answered 503.
    limit_concurrency: int = 1000
    # Seconds an idle kept-alive connection stays open.
    keep_alive_timeout: float = 5.0
    # A help request's body (POST /api/requests); the sealed form is a few KiB at most.
    max_body_bytes: int = 16 * 1024
    # Help requests (POST, status, withdraw) per client address and minute, per worker.
    intake_per_minute: int = 60

    def to_env(self) -> str:
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def from_env(cls) -> "Limits":
        raw = os.environ.get(LIMITS_ENV)
        return cls(**json.loads(raw)) if raw else cls()


def serve(data: Path, *, host: str, port: int, workers: int, limits: Limits) -> None:
    import uvicorn

    os.environ[DATA_ENV] = str(data.resolve())
    os.environ[LIMITS_ENV] = limits.to_env()
    repository_dir(data).mkdir(parents=True, exist_ok=True)
    from sync_server.db import engine_for, migrate_database

    # Once, before the workers start: they share the database.
    engine = engine_for(data)
    migrate_database(engine)
    engine.dispose()
    # uvloop and httptools set TCP_NODELAY: no 40 ms stall per small response. The protocol is
    # httptools' with a guard on the request head (sync_server/serving/protocol.py).
    uvicorn.run("sync_server.serving.app:create_app_from_env", factory=True, host=host, port=port,
                workers=workers, loop="uvloop", http="sync_server.serving.protocol:GuardedHttpToolsProtocol",
                log_level="warning", server_header=False,
                # The Date header stays on: a phone compares it with its own clock to spot skew.
                date_header=True,
                limit_concurrency=limits.limit_concurrency, timeout_keep_alive=limits.keep_alive_timeout,
                h11_max_incomplete_event_size=limits.max_header_bytes)
