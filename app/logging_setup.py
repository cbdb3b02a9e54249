"""The one logging setup of the phone app and its command line: what failed and why.

Never log personal data: no request contents, no important numbers, no search terms,
no settings values. Modules log through `logging.getLogger(__name__)`.
"""

from __future__ import annotations

import logging
import os

LEVEL_ENV = "SAFE_JOURNEY_LOG_LEVEL"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(level: str | None = None) -> None:
    """Log to stderr at INFO (or $SAFE_JOURNEY_LOG_LEVEL); calling it again changes nothing."""
    root = logging.getLogger()
    if any(getattr(handler, "_safe_journey", False) for handler in root.handlers):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(FORMAT))
    handler._safe_journey = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel((level or os.environ.get(LEVEL_ENV) or "INFO").upper())
    # Flet and the web server are chatty at INFO; their warnings still show.
    # SQLAlchemy at INFO would log query parameters: what the person typed.
    for noisy in ("flet", "flet_web", "uvicorn.access", "httpx", "httpcore", "alembic", "sqlalchemy"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
