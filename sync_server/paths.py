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
