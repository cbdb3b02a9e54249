"""Install the bundle shipped inside the app, so every screen works with no network."""

from __future__ import annotations

from pathlib import Path

from tuf.api.metadata import Metadata

from app.content.errors import BundleError
from app.content.fetch import LocalFetcher
from app.content.install import InstallResult, installed_version
from app.content.sync import sync
from app.i18n import _
from app.storage.paths import EMBEDDED_BUNDLE_DIR, TRUSTED_ROOT_FILE


def _claimed_version(bundle_dir: Path) -> int | None:
    """The version the bundle says it is (unverified: only to skip work, never to trust)."""
    try:
        return Metadata.from_file(str(bundle_dir / "metadata" / "timestamp.json")).signed.version
    except Exception:  # an unreadable claim is settled by full verification below
        return None


def ensure_embedded_installed(
    home: Path, *, bundle_dir: Path = EMBEDDED_BUNDLE_DIR, trusted_root_file: Path = TRUSTED_ROOT_FILE
) -> InstallResult:
    """Install the embedded bundle if nothing as new is installed yet; else do nothing."""
    current = installed_version(home)
    claimed = _claimed_version(bundle_dir)
    if current is not None and claimed is not None and claimed <= current:
        return InstallResult(installed=False, version=current, previous_version=current)
    try:
        trusted_root = trusted_root_file.read_bytes()
    except OSError as error:
        raise BundleError(
            f"trusted root missing: {error}",
            _("The app is missing a file it needs to check its content. Please reinstall the app."),
        ) from None
    result = sync(home, LocalFetcher(bundle_dir), trusted_root=trusted_root, languages=None,
                  allow_expired=True, full_only=True)
    if result.status == "updated":
        return InstallResult(installed=True, version=result.to_version, previous_version=result.from_version)
    if current is not None:
        # Installed content stays; a damaged newer copy is simply not used.
        return InstallResult(installed=False, version=current, previous_version=current)
    raise BundleError(
        f"{result.status}: {result.detail}",
        _("The information built into the app is damaged, so it could not be opened. Please reinstall the app."),
    )
