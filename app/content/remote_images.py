"""Markdown images that would load from outside the app.

An article is read offline, often by someone whose employer watches the phone. An image
such as `![x](http://host/pixel.png?read=passport-taken)` would be fetched the moment the
article opens and tell a stranger who read what. Publishing refuses such images
(app/content/schemas.py) and the app strips any that reach it anyway (queries.py), so the
renderer never sees an address with a scheme (http:, https:, file:, data: …) or a host.
"""

from __future__ import annotations

import re

_ELSEWHERE = re.compile(r"\s*<?\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|\\\\)")
_INLINE = re.compile(r"!\[([^\]]*)\]\(([^)]*)\)")
_REFERENCE = re.compile(r"!\[([^\]]*)\]\[([^\]]*)\]")
_SHORTCUT = re.compile(r"!\[([^\]]+)\](?![(\[:])")
_DEFINITION = re.compile(r"^[ ]{0,3}\[([^\]]+)\]:\s*(\S+)", re.MULTILINE)
_HTML_IMAGE = re.compile(r"<\s*img\b[^>]*>?", re.IGNORECASE)


def _remote_labels(markdown: str) -> set[str]:
    return {m.group(1).strip().casefold() for m in _DEFINITION.finditer(markdown) if _ELSEWHERE.match(m.group(2))}


def remote_images(markdown: str) -> list[str]:
    """Every image in `markdown` that would load from the network, as written."""
    remote = _remote_labels(markdown)
    found = [m.group(0) for m in _INLINE.finditer(markdown) if _ELSEWHERE.match(m.group(2))]
    found += [m.group(0) for m in _REFERENCE.finditer(markdown)
              if (m.group(2) or m.group(1)).strip().casefold() in remote]
    found += [m.group(0) for m in _SHORTCUT.finditer(markdown) if m.group(1).strip().casefold() in remote]
    found += [m.group(0) for m in _HTML_IMAGE.finditer(markdown)]
    return found


def without_remote_images(markdown: str) -> str:
    """`markdown` with each image from elsewhere replaced by its description (alt text)."""
    remote = _remote_labels(markdown)
    text = _INLINE.sub(lambda m: m.group(1) if _ELSEWHERE.match(m.group(2)) else m.group(0), markdown)
    text = _REFERENCE.sub(
        lambda m: m.group(1) if (m.group(2) or m.group(1)).strip().casefold() in remote else m.group(0), text)
    text = _SHORTCUT.sub(lambda m: m.group(1) if m.group(1).strip().casefold() in remote else m.group(0), text)
    return _HTML_IMAGE.sub("", text)
