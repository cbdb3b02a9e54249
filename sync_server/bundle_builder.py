"""Build the app's embedded bundle from the content source (`make bundle`).

The version goes up by one only when an item changed, so rebuilding unchanged
content leaves the committed bundle byte-for-byte alone.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from app.content.bundle_format import encode_item
from app.content.source import read_source
from app.storage.paths import CONTENT_SOURCE_DIR, EMBEDDED_BUNDLE_DIR, TRUSTED_ROOT_FILE
from sync_server.keys import load_keys
from sync_server.repository import bundle_version, committed_item_hashes, make_root, write_bundle

# The embedded bundle may be installed years after the app was built; its expiry only
# tells the app when to say "last verified on …", it never blocks the content.
EMBEDDED_LIFETIME = timedelta(days=365 * 3)


# What `build_embedded_bundle` did.
@dataclass(frozen=True)
class BuildResult:
    changed: bool
    version: int
    items: int


def source_item_hashes(source_dir: Path = CONTENT_SOURCE_DIR) -> dict[str, str]:
    return {path: hashlib.sha256(encode_item(item)).hexdigest() for path, item in read_source(source_dir).items()}


def build_embedded_bundle(
    *,
    source_dir: Path = CONTENT_SOURCE_DIR,
    bundle_dir: Path = EMBEDDED_BUNDLE_DIR,
    root_file: Path = TRUSTED_ROOT_FILE,
    key_dir: Path,
    now: datetime | None = None,
) -> BuildResult:
    items = read_source(source_dir)
    previous_version = bundle_version(bundle_dir) if (bundle_dir / "metadata").exists() else 0
    if previous_version and source_item_hashes(source_dir) == committed_item_hashes(bundle_dir):
        return BuildResult(changed=False, version=previous_version, items=len(items))
    now = now or datetime.now(timezone.utc)
    keys = load_keys(key_dir)
    root = make_root(keys, expires=now + EMBEDDED_LIFETIME)
    version = previous_version + 1
    write_bundle(bundle_dir, items, keys, version=version, created=now, expires=now + EMBEDDED_LIFETIME, root=root)
    root_file.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(bundle_dir / "metadata" / "root.json", root_file)
    return BuildResult(changed=True, version=version, items=len(items))
