"""Build the app's embedded bundle from the content source (`make bundle`).

A new version is signed only when an item changed, so rebuilding unchanged content
leaves the committed bundle byte-for-byte alone. The bundle is signed under the root the
app ships, which is replaced only at a key ceremony (`new_root=True`).
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
from sync_server.publishing.keys import load_keys
from sync_server.publishing.repository import Lifetimes, publish, published_item_hashes, published_version
from sync_server.publishing.trust import refuse_development_root, root_to_sign_under

# The embedded bundle may be installed years after the app was built, offline; its
# expiry never blocks it (see app/content/embedded.py), it only dates it.
EMBEDDED_LIFETIMES = Lifetimes(timestamp=timedelta(days=365 * 3), snapshot=timedelta(days=365 * 3), targets=timedelta(days=365 * 3))


# What `build_embedded_bundle` did.
@dataclass(frozen=True)
class BuildResult:
    changed: bool
    version: int
    items: int
    new_root: bool = False


def source_item_hashes(source_dir: Path = CONTENT_SOURCE_DIR) -> dict[str, str]:
    return {path: hashlib.sha256(encode_item(item)).hexdigest() for path, item in read_source(source_dir).items()}


def build_embedded_bundle(
    *,
    source_dir: Path = CONTENT_SOURCE_DIR,
    bundle_dir: Path = EMBEDDED_BUNDLE_DIR,
    root_file: Path = TRUSTED_ROOT_FILE,
    key_dir: Path,
    new_root: bool = False,
    now: datetime | None = None,
) -> BuildResult:
    items = read_source(source_dir)
    previous = published_version(bundle_dir)
    if not new_root and previous and source_item_hashes(source_dir) == published_item_hashes(bundle_dir):
        return BuildResult(changed=False, version=previous, items=len(items))
    now = now or datetime.now(timezone.utc)
    keys = load_keys(key_dir)
    root = root_to_sign_under(keys, root_file=root_file, new_root=new_root, expires=now + EMBEDDED_LIFETIMES.root)
    refuse_development_root(root)
    version = publish(bundle_dir, items, keys, now=now, lifetimes=EMBEDDED_LIFETIMES, root=root,
                      only_current=True, item_files=False)
    if new_root:
        root_file.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(bundle_dir / "metadata" / "root.json", root_file)
    return BuildResult(changed=True, version=version, items=len(items), new_root=new_root)
