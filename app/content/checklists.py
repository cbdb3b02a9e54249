"""Checklists in an article ("- [ ] I have a copy of my contract.") as items a person can tick.

An item is known by a hash of its words, so a tick stays with its item when the list is
reordered, and is dropped (not moved to another item) when the item's words change.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

_ITEM = re.compile(r"^[-*] \[[ xX]\] (.+)$")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    text: str  # the item's words, without Markdown emphasis


@dataclass(frozen=True)
class Checklist:
    items: tuple[ChecklistItem, ...]


def item_key(words: str) -> str:
    return hashlib.sha256(words.strip().encode()).hexdigest()[:12]


def checklist_blocks(markdown: str) -> list[str | Checklist]:
    """The article in order: Markdown text, and each run of checklist lines as one Checklist."""
    blocks: list[str | Checklist] = []
    text: list[str] = []
    items: list[ChecklistItem] = []
    for line in markdown.splitlines():
        found = _ITEM.match(line.strip())
        if found:
            if text:
                blocks.append("\n".join(text).strip("\n"))
                text = []
            words = found.group(1).strip()
            items.append(ChecklistItem(item_key(words), _EMPHASIS.sub(r"\2", words)))
            continue
        if items and line.strip():
            blocks.append(Checklist(tuple(items)))
            items = []
        if not items:
            text.append(line)
    if items:
        blocks.append(Checklist(tuple(items)))
    if text and "\n".join(text).strip():
        blocks.append("\n".join(text).strip("\n"))
    return [block for block in blocks if not isinstance(block, str) or block.strip()]
