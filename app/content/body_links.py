"""Links an article text may hold: an in-app page, or an https:, mailto: or tel: address.

The phone follows only in-app links ("/articles/<id>"), but a text is also shown in the staff
editor's preview and may be shown by other readers later: a `javascript:`, `data:`, `file:` or
`http:` link is refused when the content is checked, wherever it was written. Links are found
by the same CommonMark parse that finds images (app/content/remote_images.py), and an HTML
anchor is refused outright: links are written in Markdown.
"""

from __future__ import annotations

import re

from app.content.remote_images import parsed_links

ALLOWED_SCHEMES = ("https", "mailto", "tel")
_SCHEME = re.compile(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*):")
_HTML_ANCHOR = re.compile(r"<\s*a\b[^>]*>", re.IGNORECASE)
_SHOWN = 60  # characters of a refused address repeated in a message


def _allowed(href: str) -> bool:
    scheme = _SCHEME.match(href)
    if scheme:
        return scheme.group(1).lower() in ALLOWED_SCHEMES
    return not href.strip().startswith(("//", "\\"))  # no host without a scheme either


def unsafe_links(markdown: str) -> list[str]:
    """Every link in `markdown` a text must not hold, shortened for a message."""
    found = [href for href in parsed_links(markdown) if not _allowed(href)]
    found += [m.group(0) for m in _HTML_ANCHOR.finditer(markdown)]
    return [value if len(value) <= _SHOWN else value[:_SHOWN] + "…" for value in dict.fromkeys(found)]
