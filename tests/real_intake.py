"""The real intake server for the phone's help-request tests: `python -m sync_server serve` on
loopback, with the development request key in its data folder (as `make run` does).

`Intake` reads what the server holds straight from its database, through the same requests
store the caseworker pages use: the sealed forms opened with the server's key, statuses set as
a caseworker would set them.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import uvicorn
from sqlmodel import Session, select

from sync_server.db import engine_for
from sync_server.local_process import free_port, serving_process
from sync_server.paths import REQUEST_KEYS_FILE, repository_dir
from sync_server.requests import store
from sync_server.requests.keys import load_keyring
from sync_server.requests.models import HelpRequest
from tests.intake_helpers import server_data

NO_RATE_LIMIT = ["--intake-per-minute", "1000000"]


class Intake:
    """What a server data folder holds, read and changed as the caseworker pages do."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self._engine = engine_for(data)

    def close(self) -> None:
        self._engine.dispose()

    def count(self) -> int:
        with Session(self._engine) as session:
            return len(session.exec(select(HelpRequest.id)).all())

    def requests(self) -> dict[str, dict]:
        """receipt -> {"kind", "route", "status", "fields"} with the sealed form opened (None: erased)."""
        keyring = load_keyring(self.data, REQUEST_KEYS_FILE)
        held = {}
        with Session(self._engine) as session:
            for row in session.exec(select(HelpRequest)):
                opened = store.open_request(session, row.receipt, None, keyring=keyring)
                held[row.receipt] = {"kind": row.kind, "route": row.route.split(","), "status": row.status,
                                     "fields": opened.fields or None}
        return held

    def proof(self, receipt: str) -> str:
        """The idempotency key the request was sent with: what the phone proves it is its own with."""
        with Session(self._engine) as session:
            return session.exec(select(HelpRequest.idempotency_key).where(HelpRequest.receipt == receipt)).one()

    def set_status(self, receipt: str, status: str, message: str | None = None) -> None:
        with Session(self._engine) as session:
            store.set_status(session, receipt, None, status, message)


@contextmanager
def running_intake(folder: Path) -> Iterator[tuple[Intake, str]]:
    """`sync_server serve` on a free loopback port, its database in `folder`: (intake, base address)."""
    data = server_data(folder)
    with serving_process(data, options=NO_RATE_LIMIT) as serving:
        intake = Intake(data)
        try:
            yield intake, serving.base
        finally:
            intake.close()


@contextmanager
def running_intake_with_content(folder: Path, content_dir: Path) -> Iterator[tuple[Intake, str]]:
    """The serving app over real HTTP in this process, reading its request keys from `content_dir`
    (a server whose keys are not the ones the phone's content names)."""
    from sync_server.serving.app import create_app
    from sync_server.serving.server import Limits

    folder.mkdir(parents=True, exist_ok=True)
    app = create_app(repository_dir(folder), data=folder, content_dir=content_dir,
                     limits=Limits(intake_per_minute=1_000_000))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    intake = Intake(folder)
    try:
        yield intake, f"http://127.0.0.1:{port}"
    finally:
        intake.close()
        server.should_exit = True
        thread.join(10)
