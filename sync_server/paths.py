"""Every file location of the server side, computed in one place (no imports beyond pathlib:
both the serving and the publishing process read it)."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
# Public DEVELOPMENT keys, committed so a fresh clone can sign (see KEYS.md).
DEV_KEY_DIR = PACKAGE_DIR / "dev_keys"


def repository_dir(data: Path) -> Path:
    """The signed repository inside a server data folder: what is served, as static files."""
    return data / "repository"


# Development request key pair: the private half (dev only, like online.pem) ...
DEV_REQUEST_KEY = DEV_KEY_DIR / "request.key"
# ... and the public half phones get inside signed content.
CONTENT_DIR = REPO_ROOT / "content"
REQUEST_KEYS_FILE = CONTENT_DIR / "request_keys.yaml"


def request_keys_dir(data: Path) -> Path:
    """Private request keys (0600), every one ever made: old requests still open."""
    return data / "request-keys"


def server_db(data: Path) -> Path:
    """The SQLite database of the serving side (requests, staff) when DATABASE_URL is not set."""
    return data / "server.db"
