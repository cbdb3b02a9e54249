"""STOPGAP: a tiny real intake server for the phone's tests, until the intake API is on main.

It follows the shared /api/requests contract (idempotency key, same key + other body →
422, receipts, status look-up, withdraw) and opens every sealed box with the development
request key, so a test proves the server can read what the phone sealed. Real HTTP on
loopback (uvicorn in a thread); requests are kept in memory.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import socket
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import uvicorn
from fastapi import FastAPI, Header, Request
from fastapi.responses import JSONResponse
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, SealedBox

from app.content.schemas import request_key_id

DEV_REQUEST_KEY = Path(__file__).resolve().parents[1] / "sync_server" / "dev_keys" / "request.key"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _receipt() -> str:
    chars = "".join(secrets.choice(_CROCKFORD) for _ in range(16))
    return "-".join(chars[i:i + 4] for i in range(0, 16, 4))


def _error(status: int, code: str) -> JSONResponse:
    return JSONResponse({"detail": {"code": code, "message": code}}, status_code=status)


class StandInIntake:
    def __init__(self, private_key: PrivateKey) -> None:
        self.key = private_key
        self.key_id = request_key_id(bytes(private_key.public_key))
        self.lock = threading.Lock()
        self.by_key: dict[str, tuple[str, str]] = {}  # idempotency key -> (body hash, receipt)
        self.requests: dict[str, dict] = {}  # receipt -> {kind, route, fields, status, updated_at, message}
        self.posts = 0
        self.app = self._build()

    def _now(self) -> str:
        return datetime.now(timezone.utc).isoformat()

    def _public(self, receipt: str) -> dict:
        stored = self.requests[receipt]
        return {"receipt": receipt, "status": stored["status"], "updated_at": stored["updated_at"],
                "message": stored["message"]}

    def _build(self) -> FastAPI:
        app = FastAPI()

        @app.post("/api/requests")
        async def intake(request: Request, idempotency_key: str = Header(...)):
            body = await request.body()
            with self.lock:
                self.posts += 1
            digest = hashlib.sha256(body).hexdigest()
            try:
                data = json.loads(body)
                sealed = base64.b64decode(data["sealed"], validate=True)
            except (ValueError, KeyError, TypeError):
                return _error(400, "bad_body")
            with self.lock:
                if idempotency_key in self.by_key:
                    first_digest, receipt = self.by_key[idempotency_key]
                    if first_digest != digest:
                        return _error(422, "idempotency_key_reused")
                    return JSONResponse(self._public(receipt), status_code=200)
                if data.get("key_id") != self.key_id:
                    return _error(422, "bad_seal")
                try:
                    fields = json.loads(SealedBox(self.key).decrypt(sealed))
                except CryptoError:
                    return _error(422, "bad_seal")
                receipt = _receipt()
                self.by_key[idempotency_key] = (digest, receipt)
                self.requests[receipt] = {"kind": data["kind"], "route": data["route"], "fields": fields,
                                          "status": "delivered", "updated_at": self._now(), "message": None}
                return JSONResponse(self._public(receipt), status_code=201)

        @app.get("/api/requests/{receipt}")
        def status(receipt: str):
            with self.lock:
                if receipt not in self.requests:
                    return _error(404, "unknown_receipt")
                return self._public(receipt)

        @app.post("/api/requests/{receipt}/withdraw")
        def withdraw(receipt: str):
            with self.lock:
                if receipt not in self.requests:
                    return _error(404, "unknown_receipt")
                self.requests[receipt].update(status="withdrawn", fields=None, updated_at=self._now())
                return self._public(receipt)

        return app

    def set_status(self, receipt: str, status: str, message: str | None = None) -> None:
        with self.lock:
            self.requests[receipt].update(status=status, message=message, updated_at=self._now())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_standin() -> Iterator[tuple[StandInIntake, str]]:
    """The stand-in on a free loopback port: (server, base address)."""
    private = PrivateKey(base64.b64decode(DEV_REQUEST_KEY.read_text().strip()))
    intake = StandInIntake(private)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(intake.app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield intake, f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
