"""The demo sync server: publishes the signed bundle files as static files.

Only the top-level metadata (timestamp.json, root.json) ever changes; every other
file has its hash or version in its name and is cached forever.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

MUTABLE_FILES = {"timestamp.json", "root.json"}


class _CacheHeaders:
    """Mark content-addressed files immutable and the few mutable ones no-cache."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        name = scope.get("path", "").rsplit("/", 1)[-1]
        policy = b"no-cache" if name in MUTABLE_FILES else b"public, max-age=31536000, immutable"

        async def send_with_cache(message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"cache-control", policy)]
            await send(message)

        await self.app(scope, receive, send_with_cache)


def create_app(repository_dir: Path) -> FastAPI:
    app = FastAPI(title="Safe Journey sync server")
    # Metadata is JSON full of repeated keys: gzip roughly halves it on a slow link.
    app.add_middleware(GZipMiddleware, minimum_size=200)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    repository_dir.mkdir(parents=True, exist_ok=True)
    app.mount("/repository", _CacheHeaders(StaticFiles(directory=repository_dir)), name="repository")
    return app


def create_app_from_env() -> FastAPI:
    """Factory for uvicorn workers: the data dir comes from SAFE_JOURNEY_SYNC_DATA."""
    return create_app(Path(os.environ["SAFE_JOURNEY_SYNC_DATA"]) / "repository")
