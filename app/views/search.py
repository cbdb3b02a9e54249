"""Search: a search box, then matching articles grouped by kind, a page at a time."""

from __future__ import annotations

import re

import flet as ft

from app.content.dto import SearchHit
from app.i18n import _
from app.views.common import (
    TS,
    card,
    heading,
    language_tag,
    muted,
    navigate,
    screen,
    show_more,
    shown_in,
    subheading,
    tagged,
    use_env,
    use_screen_route,
    use_state_context,
)

MARK = re.compile(r"<mark>(.*?)</mark>", re.S)
OTHER_TAGS = re.compile(r"</?(?!mark>)[a-zA-Z][^>]*>")
MARKDOWN = re.compile(r"(?m)^\s*(?:#{1,6}|[-*+]|\d+[.)])\s+|\*\*|__")  # headings, list markers, bold


def kind_title(kind: str) -> str:
    titles = {
        "what_if": _("What if…"),
        "first_aid": _("First aid"),
        "advice": _("Advice"),
        "service": _("Red Cross and Red Crescent services"),
        "page": _("About this app"),
    }
    return titles.get(kind, kind)


def plain(snippet: str) -> str:
    """Snippets are cut from Markdown: drop its markers, other tags and line breaks."""
    return " ".join(MARKDOWN.sub(" ", OTHER_TAGS.sub("", snippet)).split())


def snippet_spans(snippet: str) -> list[ft.TextSpan]:
    """`<mark>word</mark>` becomes a bold span."""
    parts = MARK.split(plain(snippet))
    bold = ft.TextStyle(weight=ft.FontWeight.BOLD)
    return [ft.TextSpan(part, style=bold if i % 2 else None) for i, part in enumerate(parts) if part]


def result_tile(hit: SearchHit, route: str, reader_lang: str) -> ft.Control:
    lines: list[ft.Control] = [ft.Text(spans=snippet_spans(hit.snippet), theme_style=TS.BODY_MEDIUM, max_lines=3,
                                       overflow=ft.TextOverflow.ELLIPSIS)]
    if (language := shown_in(hit.lang, reader_lang)) is not None:
        lines.append(language_tag(language))
    tile = ft.ListTile(
        title=ft.Text(hit.title, theme_style=TS.TITLE_SMALL, weight=ft.FontWeight.W_600),
        subtitle=ft.Column(lines, spacing=4, tight=True),
        min_height=56,
        on_click=lambda: navigate(route),
    )
    return card(f"search-result-{hit.article_id}", tile)


def grouped(hits: list[SearchHit]) -> dict[str, list[SearchHit]]:
    """Hits by kind; kinds in the order of their best hit."""
    groups: dict[str, list[SearchHit]] = {}
    for hit in hits:
        groups.setdefault(hit.kind, []).append(hit)
    return groups


def search_box(query: str, on_search) -> ft.Control:
    field = ft.TextField(
        value=query,
        label=_("Words to look for"),
        hint_text=_("For example: passport"),
        prefix_icon=ft.Icons.SEARCH,
        # No autofocus: on a page opened by its address, the field focused before the page
        # was ready lost what was typed (Enter then searched for nothing).
        autofocus=False,
        on_submit=lambda e: on_search(e.control.value or ""),
    )
    return tagged("search-box", field)


@ft.component
def SearchScreen() -> ft.View:
    route = use_screen_route()
    env = use_env()
    state = use_state_context()  # reactive: re-renders when the query changes
    hits = ft.use_memo(
        lambda: env.search(state.query, state.lang, state.result_limit + 1) if state.query else [],
        dependencies=[state.query, state.lang, state.result_limit],
    )
    rows: list[ft.Control] = [heading(_("Search")), search_box(state.query, state.set_query)]
    if state.query and not hits:
        # Translators: {query} is what the person typed into the search box.
        nothing = _("Nothing found for “{query}”. Try another word.").format(query=state.query)
        rows.append(tagged("search-empty", muted(nothing, style=TS.BODY_MEDIUM)))
    for kind, kind_hits in grouped(hits[: state.result_limit]).items():
        rows.append(subheading(kind_title(kind), identifier=f"search-group-{kind}"))
        rows += [result_tile(h, f"{route.rstrip('/')}/articles/{h.article_id}", state.lang) for h in kind_hits]
    if len(hits) > state.result_limit:
        rows.append(show_more(state.show_more_results, "search-show-more"))
    return screen(route, *rows, searchable=False)
