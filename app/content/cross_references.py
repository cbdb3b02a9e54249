"""Turn "see **Electric shock**" into a link to that page, in any language.

A guide points to another page by writing its title in bold; where the bold words are
exactly another page's title in the same language, they become a link to it. Nothing
needs to be marked by the writers or the translators. Screen readers do not reach a link
inside the text (Flutter's web engine reads it as plain words), so the linked pages are
also listed with the related pages.
"""

from __future__ import annotations

import re

_BOLD = re.compile(r"\*\*([^*\n]{2,120})\*\*")


def _key(title: str) -> str:
    return " ".join(title.split()).casefold()


def _names(title: str) -> list[str]:
    """A page is named by its title, or by what follows a "First aid: " kind of prefix."""
    names = [_key(title)]
    if ":" in title:
        names.append(_key(title.split(":", 1)[1]))
    return names


def link_cross_references(markdown: str, titles: dict[str, str], own_id: str) -> tuple[str, list[str]]:
    """The text with its links, and the pages linked, in order. `titles`: page title by id,
    in the language of `markdown`."""
    by_title = {name: article_id for article_id, title in titles.items() for name in _names(title)}

    linked: list[str] = []

    def link(match: re.Match[str]) -> str:
        target = by_title.get(_key(match.group(1)))
        if target is None or target == own_id:
            return match.group(0)
        if target not in linked:
            linked.append(target)
        return f"[**{match.group(1)}**](/articles/{target})"

    return _BOLD.sub(link, markdown), linked
