"""Where each content item lives in a bundle, and its canonical bytes.

Apart from app/content/bundle_format.py because it needs nothing of TUF: the staff editor
in the serving process checks content with these rules and must never load signing code.
"""

from __future__ import annotations

import json
import re
from typing import Any

ITEM_KINDS = ("language", "country", "topic", "article", "text", "contact", "notice", "request_key")


def encode_item(item: Any) -> bytes:
    """Canonical bytes for an item or a pack: same content, same bytes, same hash."""
    return json.dumps(item, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def item_path(kind: str, item_id: str, lang: str | None = None) -> str:
    if kind == "text":
        return f"text/{lang}/{item_id}.json"
    return f"{kind}/{item_id}.json"


_ITEM_PATH = re.compile(r"(language|country|topic|article|contact|notice|request_key|text/[a-z]{2,3}(-[A-Za-z0-9]+)?)/[A-Za-z0-9][A-Za-z0-9_-]*\.json")


def is_item_path(path: str) -> bool:
    """A well-formed item path: never `..`, never a folder of its own making."""
    return _ITEM_PATH.fullmatch(path) is not None


def item_kind(path: str) -> str:
    kind = path.split("/", 1)[0]
    if kind not in ITEM_KINDS:
        raise KeyError(kind)
    return kind


def item_language(path: str) -> str | None:
    """The language a target holds text for, or None for items every phone needs."""
    parts = path.split("/")
    return parts[1] if parts[0] == "text" else None
