"""Install the bundle shipped inside the app, so every screen works with no network."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy.exc import DBAPIError
from tuf.api.metadata import Metadata

from app.content.bundle_check import check_bundle
from app.content.errors import BundleError, Reason
from app.content.install import InstallResult, disk_full, install_version, installed_version
from app.storage.paths import EMBEDDED_BUNDLE_DIR, TRUSTED_ROOT_FILE

logger = logging.getLogger(__name__)


def _claimed_version(bundle_dir: Path) -> int | None:
    """The version the bundle says it is (unverified: only to skip work, never to trust)."""
    try:
        return Metadata.from_file(str(bundle_dir / "metadata" / "timestamp.json")).signed.version
    except Exception:  # an unreadable claim is settled by full verification below
        return None


def ensure_embedded_installed(
    home: Path, *, bundle_dir: Path = EMBEDDED_BUNDLE_DIR, trusted_root_file: Path = TRUSTED_ROOT_FILE
) -> InstallResult:
    """Install the embedded bundle if nothing as new is installed yet; else do nothing.

    Raises BundleError when nothing is installed and the bundle cannot be.
    """
    current = installed_version(home)
    claimed = _claimed_version(bundle_dir)
    if current is not None and claimed is not None and claimed <= current:
        return InstallResult(installed=False, version=current, previous_version=current)
    try:
        trusted_root = trusted_root_file.read_bytes()
    except OSError as error:
        raise BundleError(f"trusted root missing: {error}", Reason.trust_file_missing) from None
    try:
        new = check_bundle(bundle_dir, trusted_root)
    except BundleError as error:
        logger.error("embedded bundle refused: %s", error.detail)
        if current is not None:
            # Installed content stays; a damaged newer copy is simply not used.
            return InstallResult(installed=False, version=current, previous_version=current)
        raise
    try:
        return install_version(home, new, now=datetime.now(timezone.utc))
    except (OSError, DBAPIError) as error:
        logger.error("embedded bundle not installed: %s: %s", type(error).__name__, error)
        raise BundleError(f"{type(error).__name__}: {error}",
                          Reason.no_space if disk_full(error) else Reason.install_failed) from error
