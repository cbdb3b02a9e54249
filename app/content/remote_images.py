"""Markdown images that would load from outside the app.

An article is read offline, often by someone whose employer watches the phone. An image
such as `![x](http://host/pixel.png?read=passport-taken)` would be fetched the moment the
article opens and tell a stranger who read what. Publishing refuses such images
(app/content/schemas.py) and the app strips any that reach it anyway (queries.py), so the
renderer never sees an address with a scheme (http:, https:, file:, data: …) or a host.

Markdown has many ways to write an image (escapes, entities, nested brackets, reference
definitions inside quotes or lists), so images are found by a CommonMark parser, not by
patterns alone; when a tampered text still holds one after the patterns, every "!" is
turned into an entity, and without a literal "!" no renderer can draw an image at all.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache

_ELSEWHERE = re.compile(r"\s*<?\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|\\\\)")
_INLINE = re.compile(r"!\[([^\]]*)\]\(([^)]*)\)")
_REFERENCE = re.compile(r"!\[([^\]]*)\]\[([^\]]*)\]")
_SHORTCUT = re.compile(r"!\[([^\]]+)\](?![(\[:])")
_DEFINITION = re.compile(r"^[ ]{0,3}\[([^\]]+)\]:\s*(\S+)", re.MULTILINE)
_HTML_IMAGE = re.compile(r"<\s*img\b[^>]*>?", re.IGNORECASE)


def _remote_labels(markdown: str) -> set[str]:
    return {m.group(1).strip().casefold() for m in _DEFINITION.finditer(markdown) if _ELSEWHERE.match(m.group(2))}


@cache
def _parser():
    from markdown_it import MarkdownIt  # only when a text is checked, not at start-up

    parser = MarkdownIt("commonmark")
    parser.validateLink = lambda url: True  # see file: and every other scheme, as a renderer might
    return parser


# Parsing is most of the cost of checking content (a 2,000-article set is re-checked whole at
# every publish and every staff edit): what a text holds is kept by the SHA-256 of the text.
_PARSED: dict[bytes, tuple[tuple[str, ...], tuple[str, ...]]] = {}
_PARSED_KEPT = 200_000  # about 20 MB of results at most; then the cache starts again


def _parsed(markdown: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(image addresses, link addresses) a CommonMark parser finds, after it decoded escapes and entities."""
    key = hashlib.sha256(markdown.encode("utf-8", "surrogatepass")).digest()
    found = _PARSED.get(key)
    if found is None:
        images, links = [], []
        for token in _parser().parse(markdown):
            for child in token.children or []:
                if child.type == "image":
                    images.append(str(child.attrGet("src") or ""))
                elif child.type == "link_open":
                    links.append(str(child.attrGet("href") or ""))
        if len(_PARSED) >= _PARSED_KEPT:
            _PARSED.clear()
        found = _PARSED[key] = (tuple(images), tuple(links))
    return found


def _parsed_images(markdown: str) -> tuple[str, ...]:
    return _parsed(markdown)[0]


def parsed_links(markdown: str) -> tuple[str, ...]:
    """The address of every link a CommonMark parser finds (inline, reference or autolink)."""
    return _parsed(markdown)[1]


def remote_images(markdown: str) -> list[str]:
    """Every image in `markdown` that would load from the network, as written (or as parsed)."""
    remote = _remote_labels(markdown)
    found = [m.group(0) for m in _INLINE.finditer(markdown) if _ELSEWHERE.match(m.group(2))]
    found += [m.group(0) for m in _REFERENCE.finditer(markdown)
              if (m.group(2) or m.group(1)).strip().casefold() in remote]
    found += [m.group(0) for m in _SHORTCUT.finditer(markdown) if m.group(1).strip().casefold() in remote]
    found += [m.group(0) for m in _HTML_IMAGE.finditer(markdown)]
    found += [src for src in _parsed_images(markdown) if _ELSEWHERE.match(src)]
    return list(dict.fromkeys(found))


def without_remote_images(markdown: str) -> str:
    """`markdown` with each image from elsewhere replaced by its description (alt text)."""
    remote = _remote_labels(markdown)
    text = _INLINE.sub(lambda m: m.group(1) if _ELSEWHERE.match(m.group(2)) else m.group(0), markdown)
    text = _REFERENCE.sub(
        lambda m: m.group(1) if (m.group(2) or m.group(1)).strip().casefold() in remote else m.group(0), text)
    text = _SHORTCUT.sub(lambda m: m.group(1) if m.group(1).strip().casefold() in remote else m.group(0), text)
    text = _HTML_IMAGE.sub("", text)
    if remote_images(text):
        text = text.replace("!", "&#33;")
    return text
