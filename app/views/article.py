"""One article: title, bookmark and copy, the Markdown body, contacts for the person's
country (what-if guides end with them; first-aid tips start with the emergency number),
"last checked" footer, related articles."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import flet as ft
from babel.lists import format_list

from app.content.checklists import Checklist, ChecklistItem, checklist_blocks
from app.content.dto import ArticleDetail, ArticleSummary, ContactGroup
from app.content.emergency import EmergencyCall
from app.content.source_kinds import source_kinds
from app.i18n import _
from app.locale_data import babel_locale
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
    shown_in,
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
    # The contacts the article ends with, by country: (country name in the reader's language, group).
    contact_groups: list[tuple[str, ContactGroup]] = field(default_factory=list)


def follow_link(event: ft.Event[ft.Markdown]) -> None:
    """A page named in the text ("see **Electric shock**") opens in the app; nothing else is followed."""
    if str(event.data or "").startswith("/articles/"):
        navigate(event.data)


def body(markdown: str, ticked: list[str], on_tick) -> ft.Control:
    """Article text; a checklist in it can be ticked (`on_tick(item_key)`)."""
    blocks = checklist_blocks(markdown)
    if not any(isinstance(block, Checklist) for block in blocks):
        return tagged("article-body", markdown_text(markdown))
    return tagged("article-body", ft.Column(
        [markdown_text(block) if isinstance(block, str) else checklist(block, ticked, on_tick) for block in blocks],
        spacing=12,
    ))


def checklist(block: Checklist, ticked: list[str], on_tick) -> ft.Control:
    return ft.Column([checklist_item(item, item.key in ticked, on_tick) for item in block.items], spacing=0)


def checklist_item(item: ChecklistItem, checked: bool, on_tick) -> ft.Control:
    """A box and its words, read as one control; tapping the words ticks it too. (A Checkbox's
    own label does not wrap: a long item was cut off at the screen's edge.)"""
    def toggle(_event=None) -> None:
        on_tick(item.key)

    words = ft.Container(ft.Text(item.text, theme_style=TS.BODY_LARGE), expand=True, on_click=toggle,
                         padding=ft.Padding.symmetric(vertical=12))
    row = ft.Row([ft.Checkbox(value=checked, on_change=toggle), words], spacing=4,
                 vertical_alignment=ft.CrossAxisAlignment.START)
    return tagged(f"checklist-{item.key}", ft.MergeSemantics(content=row))


def markdown_text(markdown: str) -> ft.Control:
    """Sizes and fonts come from the theme, so the text-size setting applies."""
    return ft.Markdown(
        markdown,
        extension_set=ft.MarkdownExtensionSet.GITHUB_WEB,
        selectable=True,
        on_tap_link=follow_link,
        md_style_sheet=ft.MarkdownStyleSheet(
            h2_padding=ft.Padding.only(top=12),
            block_spacing=12,
        ),
    )


def source_words(source: str, lang: str) -> str:
    """Whose words an article holds, plainly ("the IFRC's 2018 guidance note on labour migration")."""
    words = {
        # Translators: where an article's facts come from (after "Source:").
        "ifrc_migration_note_2018": _("the IFRC's 2018 guidance note on labour migration"),
        # Translators: where an article's facts come from (after "Source:").
        "ifrc_first_aid_guidelines_2020": _("the IFRC's 2020 first aid guidelines"),
        # Translators: where an article's facts come from (after "Source:").
        "ifrc_psychosocial": _("the IFRC's guidance on psychological first aid"),
        # Translators: where an article's facts come from (after "Source:").
        "arc_pledge": _("a commitment of the Australian Red Cross"),
        # Translators: where an article's facts come from (after "Source:").
        "contact_sources": _("the contacts on this page, each checked on the date shown"),
        # Translators: where an article's facts come from (after "Source:").
        "emergency_services": _("the pages of the emergency services"),
        # Translators: where an article's facts come from (after "Source:").
        "app_team": _("the people who made this app"),
    }
    parts = [words.get(code) for code in source_kinds(source)]
    if None in parts:  # a source we have no words for: say it as written
        return source
    return format_list(parts, locale=babel_locale(lang))


def plain_text(article: ArticleDetail) -> str:
    """What "Copy text" puts on the clipboard: title, body and where it comes from."""
    # Translators: the last line of an article copied to share; {source} names where its facts come from.
    source = source_words(article.source, article.lang)
    return f"{article.title}\n\n{article.body_markdown}\n\n" + _("Source: {source}").format(source=source)


def tools_row(article: ArticleDetail, saved: bool, on_toggle) -> ft.Control:
    bookmark = ft.OutlinedButton(
        _("Saved") if saved else _("Save"),
        icon=ft.Icons.BOOKMARK if saved else ft.Icons.BOOKMARK_BORDER,
        on_click=on_toggle,
    )
    return ft.Row(
        [tagged("article-bookmark", bookmark, toggled=saved),
         copy_button(plain_text(article), identifier="article-copy", label=_("Copy text"))],
        wrap=True, spacing=8, run_spacing=8,
    )


def related_tile(article: ArticleSummary, reader_lang: str) -> ft.Control:
    return list_tile(f"related-{article.id}", article.title, on_click=lambda: navigate(f"/articles/{article.id}"),
                     language=shown_in(article.lang, reader_lang))


def last_checked(article: ArticleDetail) -> ft.Control:
    # Translators: {date} is when the article was last checked; {source} names where its facts come from.
    value = _("Last checked on {date}. Source: {source}").format(
        date=long_date(article.updated_at, article.lang), source=source_words(article.source, article.lang)
    )
    return tagged("article-last-checked", muted(value))


def translation_note(article: ArticleDetail) -> ft.Control | None:
    """Says when the words shown are a translation no reviewer has checked, or one older than the
    English; nothing for a checked translation or the English original."""
    words = {
        # Translators: above an article translated by a machine that no person has checked yet.
        "machine": _("Machine translation, not yet checked."),
        # Translators: above an article whose English original changed after it was translated.
        "stale": _("This translation is older than the English."),
    }.get(article.translation or "")
    if not words:
        return None
    row = ft.Row([ft.Icon(ft.Icons.TRANSLATE, size=18, color=ft.Colors.ON_SURFACE_VARIANT),
                  ft.Container(muted(words, style=TS.BODY_MEDIUM), expand=True)],
                 spacing=8, vertical_alignment=ft.CrossAxisAlignment.CENTER)
    return tagged("article-translation-note", row)


def next_step_words(kind: str, country: str) -> str:
    """What to do when a guide asks for a kind of contact we have not checked in `country`."""
    words = {
        # Translators: at the end of a guide; {country} is where the person is.
        "embassy": _("We do not have a checked contact for your embassy in {country} yet. "
                     "Ask your government's office for workers abroad, or the Red Cross or Red Crescent, "
                     "how to reach it."),
        # Translators: at the end of a guide; {country} is where the person is or comes from.
        "hotline": _("We do not have a checked workers' hotline in {country} yet. "
                     "Ask the Red Cross or Red Crescent about other help."),
        # Translators: at the end of a guide; {country} is where the person is or comes from.
        "rfl": _("We do not have a checked contact for finding family in {country} yet. "
                 "Ask the Red Cross or Red Crescent for its Restoring Family Links service. It is free."),
        # Translators: at the end of a guide; {country} is where the person is or comes from.
        "national_society": _("We do not have a checked contact for the Red Cross or Red Crescent in {country} yet. "
                              "Ask at a hospital or a community centre."),
    }
    return words[kind].format(country=country)


def next_step(identifier: str, words: str) -> ft.Control:
    row = ft.Row([ft.Icon(ft.Icons.INFO_OUTLINE, color=ft.Colors.PRIMARY),
                  ft.Text(words, theme_style=TS.BODY_MEDIUM, expand=True)],
                 spacing=12, vertical_alignment=ft.CrossAxisAlignment.START)
    return tagged(identifier, ft.Container(row, padding=12, border_radius=12,
                                           border=ft.Border.all(1, ft.Colors.OUTLINE_VARIANT)))


def contact_group(country_name: str, group: ContactGroup, lang: str) -> list[ft.Control]:
    # Translators: above the contacts at the end of a guide; {country} is a country name.
    rows: list[ft.Control] = [heading(_("Contacts in {country}").format(country=country_name), style=TS.TITLE_MEDIUM,
                                      identifier=f"article-contacts-{group.country}")]
    rows += [contact_card(c, lang) for c in group.contacts]
    for kind in group.missing:
        words = (group.no_national_society if kind == "national_society" and group.no_national_society
                 else next_step_words(kind, country_name))
        rows.append(next_step(f"next-step-{group.country}-{kind}", words))
        if kind == "rfl":  # no checked tracing contact: the app itself can take the request
            rows.append(tagged(f"next-step-{group.country}-ask", ft.FilledButton(
                _("Ask the Red Cross to find your family"), icon=ft.Icons.PERSON_SEARCH,
                on_click=lambda: navigate("/help/tracing"))))
    return rows


def contacts_section(data: ArticleData, lang: str) -> list[ft.Control]:
    """Who to contact: a guide never ends without something to do."""
    article = data.article
    if not (article.kind == "what_if" or data.contact_groups):
        return []
    rows: list[ft.Control] = [subheading(_("Who to contact"), identifier="article-contacts")]
    if not data.contact_groups:
        rows.append(muted(_("Choose the country where you are in Settings to see who to contact there."),
                          style=TS.BODY_MEDIUM))
        rows.append(tagged("article-choose-country", ft.OutlinedButton(
            _("Choose your countries"), icon=ft.Icons.SETTINGS, on_click=lambda: navigate("/settings"))))
        return rows
    for country_name, group in data.contact_groups:
        rows += contact_group(country_name, group, lang)
    rows.append(tagged("article-all-contacts", ft.TextButton(
        _("All contacts"), icon=ft.Icons.CONTACT_PHONE, on_click=lambda: navigate("/contacts"))))
    return rows


def article_controls(data: ArticleData, lang: str, saved: bool, on_toggle, ticked: list[str] = (),
                     on_tick=None) -> list[ft.Control]:
    article = data.article
    rows: list[ft.Control] = [heading(article.title, identifier="article-title")]
    if article.kind == "first_aid":
        rows += ambulance_button(data.emergency, data.country_name, "article-call-emergency")
    rows.append(tools_row(article, saved, on_toggle))
    if article.is_fallback:
        rows.append(muted(_("This page is not yet available in your language, so it is shown in English.")))
    note = translation_note(article)
    if note is not None:
        rows.append(note)
    rows.append(body(article.body_markdown, list(ticked), on_tick))
    rows += contacts_section(data, lang)
    rows += [ft.Divider(height=GAP), last_checked(article)]
    if article.related:
        rows.append(subheading(_("Related"), identifier="article-related"))
        rows += [related_tile(r, lang) for r in article.related]
    return rows


def text_changed(held: ArticleDetail, fresh: ArticleDetail) -> bool:
    """The same page in the same language, with other words: an update arrived while reading."""
    return (held.id, held.lang) == (fresh.id, fresh.lang) and (
        (held.title, held.body_markdown, held.updated_at) != (fresh.title, fresh.body_markdown, fresh.updated_at))


def updated_banner(show_new) -> ft.Control:
    words = ft.Row([ft.Icon(ft.Icons.UPDATE, color=ft.Colors.PRIMARY),
                    ft.Text(_("This page was updated."), theme_style=TS.BODY_MEDIUM, expand=True)],
                   spacing=12, vertical_alignment=ft.CrossAxisAlignment.CENTER)
    button = tagged("article-show-update", ft.OutlinedButton(_("Show the new version"), icon=ft.Icons.REFRESH,
                                                             on_click=show_new))
    return ft.Container(ft.Column([tagged("article-updated", words), button], spacing=8, tight=True),
                        padding=12, border_radius=12, border=ft.Border.all(1, ft.Colors.PRIMARY))


@ft.component
def ArticleScreen() -> ft.View:
    route = use_screen_route()
    fresh: ArticleData = ft.use_route_loader_data()
    env = use_env()
    state = use_state_context()
    # The text being read is held when an update arrives, so it is not swapped under the
    # reader's eyes; contacts and emergency numbers are always the newest.
    held = ft.use_ref(None)
    _shown_version, show_version = ft.use_state(0)
    if fresh.article is None:
        return screen(route, heading(_("This page could not be found."), identifier="not-found"))
    if held.current is None or not text_changed(held.current, fresh.article):
        held.current = fresh.article
    data = replace(fresh, article=held.current)

    def show_new() -> None:
        held.current = fresh.article
        show_version(_shown_version + 1)

    saved = data.article.id in state.bookmarks
    toggle = lambda: env.actions.toggle_bookmark(data.article.id)  # noqa: E731
    controls = article_controls(data, state.lang, saved, toggle, state.ticked.get(data.article.id, []),
                                lambda key: env.actions.tick(data.article.id, key))
    if held.current is not fresh.article:
        controls.insert(0, updated_banner(show_new))
    return screen(route, *controls)
