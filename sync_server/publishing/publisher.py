"""The publisher: signs content changes and keeps the repository's signatures fresh.

It is the only long-running process that holds a key (the online key). Each round it
publishes the content if it changed (the server's content store once it holds content, what
staff approved; else the content/ folder), re-signs metadata that has used half its
lifetime, and otherwise renews only the short-lived timestamp, so phones never see an
expired repository while the content stays the same.
"""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Literal

from app.content.bundle_format import encode_item
from app.content.source import read_source
from app.storage.paths import EMBEDDED_BUNDLE_DIR
from sync_server.editor.published import approved_encoded
from sync_server.paths import repository_dir
from sync_server.publishing.keys import SigningKeys
from sync_server.publishing.repository import (
    Lifetimes,
    expiries,
    publish,
    published_item_hashes,
    published_version,
    renew_timestamp,
)
from sync_server.publishing.trust import (
    read_root,
    refuse_development_root,
    refuse_untrusted_online_key,
    starting_root,
)

logger = logging.getLogger(__name__)

# The timestamp is re-signed often; a phone refuses one older than this (freeze attacks).
PUBLISHED_LIFETIMES = Lifetimes(timestamp=timedelta(days=7), snapshot=timedelta(days=30), targets=timedelta(days=90))
# Metadata is re-signed once this share of its lifetime is left.
RENEW_WHEN_LEFT = 0.5

Outcome = Literal["published", "renewed", "unchanged"]


def content_to_publish(data: Path, source: Path) -> dict[str, bytes]:
    """What is signed, as each item's canonical bytes: the server's content store once it holds
    content (the database is the truth: what staff approved), else the content folder `source`."""
    approved = approved_encoded(data)
    if approved is not None:
        return approved
    return {path: encode_item(item) for path, item in read_source(source).items()}


def publish_items(data: Path, items: dict[str, bytes], keys: SigningKeys, *, root_file: Path, new_root: bool = False,
                  now: datetime, lifetimes: Lifetimes = PUBLISHED_LIFETIMES) -> int:
    """Sign `items` as the next version under `data`; return that version.

    An empty repository starts from the root the app ships (`root_file`), or from a new
    root made with `keys` when `new_root`; later versions keep the repository's own root.
    """
    repo = repository_dir(data)
    root = starting_root(repo, keys, root_file=root_file, new_root=new_root, expires=now + lifetimes.root)
    refuse_development_root(root or read_root(repo / "metadata" / "root.json"))
    # Versions continue from the bundle inside the app, so a phone sees anything published as newer.
    return publish(repo, items, keys, now=now, lifetimes=lifetimes, root=root,
                   min_version=published_version(EMBEDDED_BUNDLE_DIR) + 1)


def _item_hashes(items: dict[str, bytes]) -> dict[str, str]:
    return {path: hashlib.sha256(data).hexdigest() for path, data in items.items()}


# What this process last published or read, by repository: (its timestamp file's identity, item
# hashes). A round then compares with memory instead of parsing every hash bin again; any other
# writer (a `publish` run beside the publisher) gives the timestamp a new identity.
_PUBLISHED: dict[Path, tuple[tuple[int, int, int], dict[str, str]]] = {}


def _timestamp_identity(repo: Path) -> tuple[int, int, int] | None:
    try:
        stat = (repo / "metadata" / "timestamp.json").stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def _published_hashes(repo: Path) -> dict[str, str]:
    identity = _timestamp_identity(repo)
    known = _PUBLISHED.get(repo)
    if identity is None or known is None or known[0] != identity:
        hashes = published_item_hashes(repo)
        if identity is not None:
            _PUBLISHED[repo] = (identity, hashes)
        return hashes
    return known[1]


def _lifetime(role: str, lifetimes: Lifetimes) -> timedelta:
    return {"timestamp": lifetimes.timestamp, "snapshot": lifetimes.snapshot}.get(role, lifetimes.targets)


def _due(repo: Path, now: datetime, lifetimes: Lifetimes) -> set[str]:
    """Roles with less than RENEW_WHEN_LEFT of their lifetime left."""
    return {role for role, expires in expiries(repo).items()
            if expires - now < _lifetime(role, lifetimes) * RENEW_WHEN_LEFT}


def publish_round(data: Path, source: Path, keys: SigningKeys, *, root_file: Path, now: datetime,
                  lifetimes: Lifetimes = PUBLISHED_LIFETIMES) -> Outcome:
    """One round of the publisher; says what it did."""
    repo = repository_dir(data)
    items = content_to_publish(data, source)
    hashes = _item_hashes(items)
    if not published_version(repo) or hashes != _published_hashes(repo) or _due(repo, now, lifetimes) - {"timestamp"}:
        publish_items(data, items, keys, root_file=root_file, now=now, lifetimes=lifetimes)
        identity = _timestamp_identity(repo)
        if identity is not None:
            _PUBLISHED[repo] = (identity, hashes)
        return "published"
    if "timestamp" in _due(repo, now, lifetimes):
        refuse_untrusted_online_key(repo, keys)
        renew_timestamp(repo, keys, now=now, lifetime=lifetimes.timestamp)
        return "renewed"
    return "unchanged"


def run_publisher(data: Path, source: Path, keys: SigningKeys, *, root_file: Path, interval: float) -> None:
    """Publish rounds every `interval` seconds until the process is stopped."""
    while True:
        try:
            outcome = publish_round(data, source, keys, root_file=root_file, now=datetime.now(timezone.utc))
        except SystemExit:
            raise  # keys or root refused: nothing later can fix that
        except Exception:
            # A content edit that does not validate must not stop the timestamp renewals.
            logger.exception("publishing round failed; trying to renew the timestamp only")
            outcome = _renew_only(data, keys)
        if outcome != "unchanged":
            logger.info("publisher: %s version %d", outcome, published_version(repository_dir(data)))
        time.sleep(interval)


def _renew_only(data: Path, keys: SigningKeys) -> Outcome:
    repo, now = repository_dir(data), datetime.now(timezone.utc)
    if published_version(repo) and "timestamp" in _due(repo, now, PUBLISHED_LIFETIMES):
        refuse_untrusted_online_key(repo, keys)
        renew_timestamp(repo, keys, now=now, lifetime=PUBLISHED_LIFETIMES.timestamp)
        return "renewed"
    return "unchanged"
