"""Markdown on a staff page: CommonMark with raw HTML shown as text, no images (nothing loads from
elsewhere), and only the links markdown-it lets through (never javascript: or data:)."""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from markupsafe import Markup


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).disable("image")


def markdown(text: str) -> Markup:
    return Markup(_parser().render(text or ""))
