"""Every file location the app uses, computed in one place."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "SafeJourney"
REPO_ROOT = Path(__file__).resolve().parents[2]
ASSETS_DIR = REPO_ROOT / "assets"
EMBEDDED_BUNDLE_DIR = ASSETS_DIR / "bundle"
TRUSTED_ROOT_FILE = ASSETS_DIR / "trust" / "root.json"
CONTENT_SOURCE_DIR = REPO_ROOT / "content"
TRANSLATIONS_DIR = REPO_ROOT / "translations"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def data_home() -> Path:
    """The data directory: $SAFE_JOURNEY_HOME, else the platform's app data dir.

    On Android and iOS Flet sets FLET_APP_STORAGE_DATA to the app's private storage.
    """
    configured = os.environ.get("SAFE_JOURNEY_HOME") or os.environ.get("FLET_APP_STORAGE_DATA")
    home = Path(configured) if configured else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    home.mkdir(parents=True, exist_ok=True)
    return home


def content_db(home: Path) -> Path:
    return home / "content.db"


def user_db(home: Path) -> Path:
    return home / "user.db"


def user_key_file(home: Path) -> Path:
    """The keys that open user.db (see app/storage/keys.py): kept beside it, never inside."""
    return home / "user.key"


def documents_dir(home: Path) -> Path:
    """The document safe (app/storage/documents.py): one sealed file per photo."""
    return home / "documents"


def partial_downloads_dir(home: Path) -> Path:
    """Pieces of interrupted downloads, named by their hash, resumed on the next try."""
    return home / "downloads"
