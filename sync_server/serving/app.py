"""The serving app: the signed repository as static files (it never signs anything).

Only timestamp.json (and root.json) change in place; every other file has its hash or
version in its name and is cached forever, so a CDN or any static server can serve them.
Phones ask for timestamp.json most, almost always with If-None-Match: that one file is
answered from memory, without a trip to the thread pool.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from sync_server.paths import CONTENT_DIR, REQUEST_KEYS_FILE, repository_dir
from sync_server.serving.server import DATA_ENV, Limits

MUTABLE_FILES = {"timestamp.json", "root.json"}
NO_CACHE = "no-cache"
NO_STORE = "no-store"
IMMUTABLE = "public, max-age=31536000, immutable"
_IMMUTABLE = IMMUTABLE.encode()


class _CacheHeaders:
    """Mark content-addressed files immutable and the few mutable ones no-cache."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        name = scope.get("path", "").rsplit("/", 1)[-1]
        policy = (NO_CACHE if name in MUTABLE_FILES else IMMUTABLE).encode()

        async def send_with_cache(message) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                if policy == _IMMUTABLE:  # never revalidated: validators are bytes a 2G phone pays for nothing
                    headers = [(k, v) for k, v in headers if k.lower() not in (b"etag", b"last-modified")]
                message["headers"] = [*headers, (b"cache-control", policy)]
            await send(message)

        try:
            await self.app(scope, receive, send_with_cache)
        except HTTPException as error:
            # A missing file may appear later (phones ask for the next root at every update):
            # no cache may keep the answer.
            response = PlainTextResponse(error.detail, status_code=error.status_code,
                                         headers={"cache-control": NO_STORE})
            await response(scope, receive, send)


class _TimestampFromMemory:
    """Serve metadata/timestamp.json from memory, re-read only when the file changes."""

    def __init__(self, app: ASGIApp, repository_dir: Path) -> None:
        self.app = app
        self.path = repository_dir / "metadata" / "timestamp.json"
        self._key: tuple[int, int, int] | None = None
        self._body = b""
        self._etag = ""

    def _current(self) -> bool:
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            return False
        key = (stat.st_ino, stat.st_mtime_ns, stat.st_size)  # os.replace gives each publish a new inode
        if key != self._key:
            self._body = self.path.read_bytes()
            self._etag = '"' + hashlib.sha256(self._body).hexdigest()[:32] + '"'
            self._key = key
        return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].endswith("/metadata/timestamp.json") or scope["method"] != "GET" or not self._current():
            await self.app(scope, receive, send)
            return
        headers = {"etag": self._etag, "cache-control": NO_CACHE}
        if_none_match = dict(scope["headers"]).get(b"if-none-match", b"").decode("latin-1")
        if self._etag in [tag.strip() for tag in if_none_match.split(",")]:
            # A 304 carries no body, so no Content-Type: 32 bytes a phone pays at every check.
            response = Response(status_code=304, headers=headers)
        else:
            response = Response(self._body, headers=headers | {"content-type": "application/json"})
        await response(scope, receive, send)


def _add_intake(app: FastAPI, data: Path, limits: Limits, content_dir: Path, migrate: bool) -> None:
    """The help-request API (sync_server/requests) on the server database."""
    from sync_server.db import engine_for, migrate_database
    from sync_server.requests.api import Intake, router
    from sync_server.requests.forms import load_phone_metadata
    from sync_server.requests.ratelimit import RateLimiter
    from sync_server.requests.routing import national_societies

    app.state.db_engine = engine_for(data)
    if migrate:
        migrate_database(app.state.db_engine)
    names = national_societies(content_dir)
    app.state.intake = Intake(data, content_dir / REQUEST_KEYS_FILE.name, frozenset(names),
                              RateLimiter(limits.intake_per_minute), limits.max_body_bytes, society_names=names)
    app.state.intake.load_keyring()
    load_phone_metadata()
    app.include_router(router)


def _add_staff(app: FastAPI) -> None:
    """The /staff/ pages (sync_server/staff), the caseworker inbox, the content editor and the
    translating pages (translations, contact checks, programme directory), on the same database."""
    from sync_server.editor.web.content_pages import router as content_router
    from sync_server.editor.web.history_pages import router as history_router
    from sync_server.editor.web.mine_pages import router as mine_router
    from sync_server.editor.web.new_contact_pages import router as new_contact_router
    from sync_server.editor.web.review_pages import router as review_router
    from sync_server.inbox.pages import router as inbox_router
    from sync_server.staff.web.app_setup import add_staff_pages
    from sync_server.staff.web.limits import StaffFormLimit
    from sync_server.translating.routers import routers as translating_routers

    # Before content_router: its /staff/content/{slug} and /contact/{contact_id} would take these paths.
    add_staff_pages(app, inbox_router, mine_router, new_contact_router, content_router, review_router, history_router, *translating_routers)
    app.add_middleware(StaffFormLimit)


def create_app(repository_dir: Path, *, data: Path | None = None, limits: Limits | None = None,
               content_dir: Path = CONTENT_DIR, migrate: bool = True) -> FastAPI:
    """The serving app. `data` (default: the repository's parent) holds server.db and the
    request keys; `serve` migrates the database once before its workers start (migrate=False)."""
    app = FastAPI(title="Safe Journey sync server")
    _add_intake(app, data or repository_dir.parent, limits or Limits(), content_dir, migrate)
    _add_staff(app)
    # Metadata is JSON full of repeated keys: gzip roughly halves it on a slow link.
    app.add_middleware(GZipMiddleware, minimum_size=200)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    repository_dir.mkdir(parents=True, exist_ok=True)
    static = _CacheHeaders(StaticFiles(directory=repository_dir))
    app.mount("/repository", _TimestampFromMemory(static, repository_dir), name="repository")
    return app


def create_app_from_env() -> FastAPI:
    """Factory for uvicorn workers: the data folder comes from the environment (see server.py)."""
    data = Path(os.environ[DATA_ENV])
    return create_app(repository_dir(data), data=data, limits=Limits.from_env(), migrate=False)
