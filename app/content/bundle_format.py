"""The bundle format: which files a bundle holds and how each item is encoded.

A bundle is a TUF repository (metadata/ + targets/). Every content item is one target
file, so each has its own signed length and hash and an update can fetch one item.
Target paths are `<kind>/<id>.json`, and text in a language is `text/<lang>/<id>.json`
so a phone can fetch only the languages it uses.
"""

from __future__ import annotations

import json
from typing import Any

FORMAT_VERSION = 1
BUNDLE_FIELD = "x-safe-journey"  # extra field in targets.json: {"format": 1, "created": ISO}

ITEM_KINDS = ("language", "country", "topic", "article", "text", "contact", "notice")


def encode_item(item: dict[str, Any]) -> bytes:
    """Canonical bytes for an item: same content, same bytes, same hash."""
    return json.dumps(item, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def item_path(kind: str, item_id: str, lang: str | None = None) -> str:
    if kind == "text":
        return f"text/{lang}/{item_id}.json"
    return f"{kind}/{item_id}.json"


def item_kind(path: str) -> str:
    kind = path.split("/", 1)[0]
    if kind not in ITEM_KINDS:
        raise KeyError(kind)
    return kind


def item_language(path: str) -> str | None:
    """The language a target holds text for, or None for items every phone needs."""
    parts = path.split("/")
    return parts[1] if parts[0] == "text" else None


def consistent_target_name(path: str, sha256: str) -> str:
    """Where a target lives on disk or on a server: its hash in the name (TUF consistent snapshots)."""
    directory, _, name = path.rpartition("/")
    return f"{directory}/{sha256}.{name}" if directory else f"{sha256}.{name}"
