"""One article: title, bookmark and copy, the Markdown body, contacts for the person's
country (what-if guides end with them; first-aid tips start with the emergency number),
"last checked" footer, related articles."""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft

from app.content.dto import ArticleDetail, ArticleSummary
from app.content.emergency import EmergencyCall
from app.i18n import _
from app.views.common import (
    GAP,
    TS,
    copy_button,
    heading,
    list_tile,
    long_date,
    muted,
    navigate,
    screen,
    subheading,
    tagged,
    use_env,
    use_screen_route,
    use_state_context,
)
from app.views.contacts import contact_card
from app.views.first_aid import ambulance_button


# What the article route loader hands the screen; `article` is None for an unknown id.
@dataclass(frozen=True)
class ArticleData:
    article: ArticleDetail | None
    emergency: EmergencyCall | None = None  # the ambulance where the person is (first-aid tips call it)
    country_name: str | None = None


def body(markdown: str) -> ft.Control:
    """Article text; sizes and fonts come from the theme, so the text-size setting applies."""
    return tagged("article-body", ft.Markdown(
        markdown,
        extension_set=ft.MarkdownExtensionSet.GITHUB_WEB,
        selectable=True,
        md_style_sheet=ft.MarkdownStyleSheet(
            h2_padding=ft.Padding.only(top=12),
            block_spacing=12,
        ),
    ))


def plain_text(article: ArticleDetail) -> str:
    """What "Copy text" puts on the clipboard: title, body and where it comes from."""
    # Translators: the last line of an article copied to share; {source} names where its facts come from.
    return f"{article.title}\n\n{article.body_markdown}\n\n" + _("Source: {source}").format(source=article.source)


def tools_row(article: ArticleDetail, saved: bool, on_toggle) -> ft.Control:
    bookmark = ft.OutlinedButton(
        _("Saved") if saved else _("Save"),
        icon=ft.Icons.BOOKMARK if saved else ft.Icons.BOOKMARK_BORDER,
        on_click=on_toggle,
        height=48,
    )
    return ft.Row(
        [tagged("article-bookmark", bookmark, toggled=saved),
         copy_button(plain_text(article), identifier="article-copy", label=_("Copy text"))],
        wrap=True, spacing=8, run_spacing=8,
    )


def related_tile(article: ArticleSummary) -> ft.Control:
    return list_tile(f"related-{article.id}", article.title, on_click=lambda: navigate(f"/articles/{article.id}"))


def last_checked(article: ArticleDetail) -> ft.Control:
    # Translators: {date} is when the article was last checked; {source} names where its facts come from.
    value = _("Last checked on {date}. Source: {source}").format(
        date=long_date(article.updated_at, article.lang), source=article.source
    )
    return tagged("article-last-checked", muted(value))


def contacts_section(data: ArticleData, lang: str) -> list[ft.Control]:
    article = data.article
    kinds = article.kind == "what_if" or article.contacts
    if not kinds:
        return []
    rows: list[ft.Control] = [subheading(_("Who to contact"), identifier="article-contacts")]
    if data.country_name is None:
        rows.append(muted(_("Choose the country where you are in Settings to see who to contact there."),
                          style=TS.BODY_MEDIUM))
        return rows
    # Translators: above the contacts of a "what if" guide; {country} is where the person is.
    rows.append(muted(_("Contacts in {country}").format(country=data.country_name), style=TS.BODY_MEDIUM))
    rows += [contact_card(c, lang) for c in article.contacts]
    rows.append(tagged("article-all-contacts", ft.TextButton(
        _("All contacts"), icon=ft.Icons.CONTACT_PHONE, height=48, on_click=lambda: navigate("/contacts"))))
    return rows


def article_controls(data: ArticleData, lang: str, saved: bool, on_toggle) -> list[ft.Control]:
    article = data.article
    rows: list[ft.Control] = [heading(article.title, identifier="article-title")]
    if article.kind == "first_aid":
        rows += ambulance_button(data.emergency, data.country_name, "article-call-emergency")
    rows.append(tools_row(article, saved, on_toggle))
    if article.is_fallback:
        rows.append(muted(_("This page is not yet available in your language, so it is shown in English.")))
    rows.append(body(article.body_markdown))
    rows += contacts_section(data, lang)
    rows += [ft.Divider(height=GAP), last_checked(article)]
    if article.related:
        rows.append(subheading(_("Related"), identifier="article-related"))
        rows += [related_tile(r) for r in article.related]
    return rows


@ft.component
def ArticleScreen() -> ft.View:
    route = use_screen_route()
    data: ArticleData = ft.use_route_loader_data()
    env = use_env()
    state = use_state_context()
    if data.article is None:
        return screen(route, heading(_("This page could not be found."), identifier="not-found"))
    saved = data.article.id in state.bookmarks
    toggle = lambda: env.actions.toggle_bookmark(data.article.id)  # noqa: E731
    return screen(route, *article_controls(data, state.lang, saved, toggle))
