"""One article: title, Markdown body, contacts to call, where it comes from, related articles."""

from __future__ import annotations

import re
from dataclasses import dataclass

import flet as ft

from app.content.dto import ArticleDetail, ArticleSummary, ContactCard
from app.i18n import _
from app.views.common import (
    GAP,
    RED_CROSS_RED,
    card,
    heading,
    long_date,
    muted,
    navigate,
    screen,
    tagged,
    use_screen_route,
)


# What the article route loader hands the screen; `article` is None for an unknown id.
@dataclass(frozen=True)
class ArticleData:
    article: ArticleDetail | None


def tel_url(dial: str) -> str:
    """A tel: link keeps only what a phone dials: digits, and + * #."""
    return "tel:" + re.sub(r"[^\d+*#]", "", dial)


def body(markdown: str) -> ft.Markdown:
    return ft.Markdown(
        markdown,
        extension_set=ft.MarkdownExtensionSet.GITHUB_WEB,
        md_style_sheet=ft.MarkdownStyleSheet(
            p_text_style=ft.TextStyle(size=16, height=1.4),
            h2_text_style=ft.TextStyle(size=19, weight=ft.FontWeight.BOLD),
            h2_padding=ft.Padding.only(top=8),
        ),
    )


def contact_tile(contact: ContactCard, lang: str) -> ft.Control:
    lines: list[ft.Control] = []
    if contact.dial:
        lines.append(ft.Text(contact.dial, size=16, weight=ft.FontWeight.W_600, color=RED_CROSS_RED))
    if contact.note:
        lines.append(ft.Text(contact.note))
    # Translators: {date} is when someone last checked this phone number or address.
    lines.append(muted(_("Checked on {date}").format(date=long_date(contact.verified_on, lang)), size=12))
    if contact.dial:
        action, icon = ft.OpenUrl(tel_url(contact.dial)), ft.Icons.CALL
    elif contact.website:
        action, icon = ft.OpenUrl(contact.website, target=ft.UrlTarget.BLANK), ft.Icons.OPEN_IN_NEW
    else:
        action, icon = None, None
    tile = ft.ListTile(
        title=ft.Text(contact.name, weight=ft.FontWeight.W_600),
        subtitle=ft.Column(lines, spacing=2, tight=True),
        trailing=ft.Icon(icon, color=RED_CROSS_RED) if icon else None,
        min_height=56,
        action=action,
    )
    return card(f"contact-{contact.id}", tile)


def related_tile(article: ArticleSummary) -> ft.Control:
    tile = ft.ListTile(
        title=ft.Text(article.title),
        trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
        min_height=48,
        content_padding=ft.Padding.only(right=8),
        on_click=lambda: navigate(f"/articles/{article.id}"),
    )
    return tagged(f"related-{article.id}", tile)


def last_checked(article: ArticleDetail) -> ft.Control:
    # Translators: {date} is when the article was last checked; {source} names where its facts come from.
    text = _("Last checked on {date}. Source: {source}").format(
        date=long_date(article.updated_at, article.lang), source=article.source
    )
    return tagged("article-last-checked", muted(text))


def article_controls(article: ArticleDetail, lang: str) -> list[ft.Control]:
    rows: list[ft.Control] = [heading(article.title, identifier="article-title")]
    if article.is_fallback:
        rows.append(muted(_("This page is not yet available in your language, so it is shown in English.")))
    rows.append(body(article.body_markdown))
    if article.contacts:
        rows.append(heading(_("Who to contact"), size=18))
        rows += [contact_tile(c, lang) for c in article.contacts]
    rows += [ft.Divider(height=GAP), last_checked(article)]
    if article.related:
        rows.append(heading(_("Related"), size=18))
        rows += [related_tile(r) for r in article.related]
    return rows


@ft.component
def ArticleScreen() -> ft.View:
    route = use_screen_route()
    data: ArticleData = ft.use_route_loader_data()
    if data.article is None:
        return screen(route, heading(_("This page could not be found.")))
    return screen(route, *article_controls(data.article, data.article.lang))
