"""Saved: bookmarked articles, and "my important numbers", a card the person fills in.

The numbers are kept only in this phone's user database. The screen says to learn them
by heart or write them down, since phones get taken away.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import flet as ft

from app.actions import IMPORTANT_FIELDS
from app.content.dto import ArticleSummary
from app.i18n import _
from app.state import PAGE_SIZE
from app.views.common import (
    TS,
    go_to,
    heading,
    list_tile,
    muted,
    screen,
    show_more,
    shown_in,
    subheading,
    tagged,
    text,
    use_env,
    use_screen_route,
    use_state_context,
)


# What the saved route loader hands the screen.
@dataclass(frozen=True)
class SavedData:
    bookmarks: list[ArticleSummary]
    numbers: dict[str, str] = field(default_factory=dict)


def field_labels() -> dict[str, str]:
    return {
        "passport": _("My passport number"),
        "family_phone": _("My family's phone number"),
        "employer_address": _("My employer's name and address"),
        "other": _("Other important number"),
    }


def numbers_card(values: dict[str, str], on_change, on_save) -> ft.Control:
    labels = field_labels()
    fields = [
        tagged(f"number-{key}", ft.TextField(
            value=values.get(key, ""), label=labels[key],
            multiline=key == "employer_address", min_lines=1, max_lines=3,
            on_change=lambda e, key=key: on_change(key, e.control.value or ""),
        ))
        for key in IMPORTANT_FIELDS
    ]
    column = ft.Column(
        [
            text(_("Learn these by heart, or write them on paper and keep it apart from your phone. "
                   "Phones are sometimes taken away."), TS.BODY_MEDIUM),
            *fields,
            tagged("numbers-save", ft.FilledButton(_("Save on this phone"), icon=ft.Icons.SAVE,
                                                   on_click=on_save)),
            muted(_("These are kept only on this phone. They are never sent anywhere.")),
        ],
        spacing=12,
        tight=True,
    )
    return ft.Card(ft.Container(column, padding=16), margin=0)


@ft.component
def SavedScreen() -> ft.View:
    route = use_screen_route()
    env = use_env()
    lang = use_state_context().lang
    data: SavedData = ft.use_route_loader_data()
    values = ft.use_ref(None)
    if values.current is None:
        values.current = dict(data.numbers)
    limit, set_limit = ft.use_state(PAGE_SIZE)

    def change(key: str, value: str) -> None:
        values.current[key] = value

    def save() -> None:
        env.actions.save_important_numbers(values.current)
        ft.context.page.show_dialog(ft.SnackBar(ft.Text(_("Saved on this phone.")), duration=2500))

    rows: list[ft.Control] = [heading(_("Saved"), identifier="saved-title"), subheading(_("Saved pages"))]
    if not data.bookmarks:
        rows.append(tagged("saved-empty", muted(_("Nothing saved yet. Tap “Save” on a page to keep it here."),
                                                style=TS.BODY_MEDIUM)))
    rows += [
        list_tile(f"saved-{a.id}", a.title, a.summary, leading=ft.Icons.BOOKMARK,
                  language=shown_in(a.lang, lang),
                  on_click=go_to(f"{route.rstrip('/')}/articles/{a.id}"))
        for a in data.bookmarks[:limit]
    ]
    if len(data.bookmarks) > limit:
        rows.append(show_more(lambda: set_limit(limit + PAGE_SIZE), "saved-show-more"))
    rows += [subheading(_("My documents"), identifier="saved-documents-heading"),
             list_tile("saved-documents", _("My documents"),
                       _("Photos of your passport, visa, contract or ID, kept encrypted on this phone."),
                       leading=ft.Icons.FOLDER_SHARED_OUTLINED, on_click=go_to(f"{route.rstrip('/')}/documents")),
             subheading(_("My important numbers"), identifier="important-numbers"),
             numbers_card(values.current, change, save)]
    return screen(route, *rows, title=_("Saved"))
