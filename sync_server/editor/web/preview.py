"""An article text as the phone shows it, for the edit page's preview: CommonMark rendered by
markdown-it-py with raw HTML off (typed `<script>` shows as text), every image as its
description only (nothing loads from the network, not even for the editor), and links kept
only when they are https:, mailto: or tel: (an in-app link "/articles/<id>" shows as underlined
words; `javascript:` and friends as plain words: the content check refuses them anyway)."""

from __future__ import annotations

import re
from functools import cache
from html import escape

from markupsafe import Markup

_KEPT_LINK = re.compile(r"(https|mailto|tel):", re.IGNORECASE)


@cache
def _renderer():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False})
    rules = md.renderer.rules

    def image(tokens, idx, _options, _env):
        alt = "".join(child.content for child in tokens[idx].children or [])
        return f'<span class="image-left-out">[Image: {escape(alt or "no description")}]</span>'

    def link_open(tokens, idx, options, env):
        href = str(tokens[idx].attrGet("href") or "")
        if _KEPT_LINK.match(href):
            tokens[idx].attrSet("rel", "noopener noreferrer")
            return md.renderer.renderToken(tokens, idx, options, env)
        tokens[idx].meta["dropped"] = True
        return '<span class="in-app-link">' if href.startswith("/") else "<span>"

    def link_close(tokens, idx, options, env):
        opened = next(token for token in reversed(tokens[:idx]) if token.type == "link_open")
        return "</span>" if opened.meta.get("dropped") else "</a>"

    rules["image"] = image
    rules["link_open"] = link_open
    rules["link_close"] = link_close
    return md


def render_preview(markdown: str) -> Markup:
    """Safe HTML for the preview (markdown-it-py escapes all text it does not turn into tags)."""
    return Markup(_renderer().render(markdown))
