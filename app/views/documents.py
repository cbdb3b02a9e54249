"""My documents: photos of the passport, visa, contract or ID, sealed on this phone (the
document safe, app/storage/documents.py). The list says how full it is; one document opens
on its own screen, with a Delete button that asks first. Photos never leave the phone:
they reach the screen as bytes in memory, never through an address someone could open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

import flet as ft

from app.i18n import _
from app.locale_data import long_date, native_digits
from app.views.common import (
    TS,
    ask_first,
    go_to,
    heading,
    list_tile,
    muted,
    navigate,
    screen,
    tagged,
    text,
    use_env,
    use_screen_route,
    use_state_context,
)


# One document as the screens show it (built by the route loaders from the safe).
@dataclass(frozen=True)
class DocumentRow:
    id: str
    name: str | None  # None: damaged, its description does not open
    added: datetime | None
    megabytes: str  # e.g. "2.4"


# What the documents route loader hands the list.
@dataclass(frozen=True)
class DocumentsData:
    rows: list[DocumentRow]
    count: int
    max_count: int
    used_mb: str
    max_mb: str
    backup_mb: str  # how many MB of documents a backup holds
    lock_on: bool = False  # an app lock is set: no advice to set one


# What the route loader of one document hands its screen.
@dataclass(frozen=True)
class DocumentData:
    row: DocumentRow | None
    photo: bytes | None = None
    problem: str | None = None  # the words, when it cannot be shown


def _row_tile(row: DocumentRow, route: str, lang: str) -> ft.Control:
    if row.name is None:
        return list_tile(f"document-{row.id}", _("A document that cannot be opened"),
                         _("It was damaged, or saved with other keys. You can delete it."),
                         leading=ft.Icons.BROKEN_IMAGE_OUTLINED, on_click=go_to(f"{route}/{row.id}"))
    # Translators: under a saved document: {date} is the day it was added, {mb} its size in megabytes.
    about = _("Added {date} · {mb} MB").format(date=long_date(row.added, lang), mb=native_digits(row.megabytes, lang))
    return list_tile(f"document-{row.id}", row.name, about, leading=ft.Icons.IMAGE_OUTLINED,
                     on_click=go_to(f"{route}/{row.id}"))


@ft.component
def DocumentsScreen() -> ft.View:
    route = use_screen_route()
    env = use_env()
    lang = use_state_context().lang
    data: DocumentsData = ft.use_route_loader_data()
    problem, set_problem = ft.use_state("")

    async def add() -> None:
        set_problem("")
        words = await env.actions.add_document()
        if words:
            set_problem(words)

    # Translators: {count} documents saved of at most {max_count}; {used} MB used of at most {max_mb} MB.
    use = _("{count} of {max_count} documents · {used} MB of {max_mb} MB").format(
        count=native_digits(str(data.count), lang), max_count=native_digits(str(data.max_count), lang),
        used=native_digits(data.used_mb, lang), max_mb=native_digits(data.max_mb, lang))
    rows: list[ft.Control] = [
        heading(_("My documents"), identifier="documents-title"),
        text(_("Photos of your passport, visa, contract, ID or payslips. They are kept encrypted on this phone and "
               "open without internet. They are never sent anywhere.")),
        tagged("documents-use", muted(use, style=TS.BODY_MEDIUM)),
        tagged("documents-add", ft.FilledButton(_("Add a photo of a document"), icon=ft.Icons.ADD_A_PHOTO,
                                                on_click=add)),
        tagged("documents-problem", ft.Text(problem, color=ft.Colors.ERROR), live_region=True),
    ]
    if not data.rows:
        rows.append(tagged("documents-empty", muted(_("No documents yet."), style=TS.BODY_MEDIUM)))
    rows += [_row_tile(row, route.rstrip("/"), lang) for row in data.rows]
    if data.lock_on:
        # Translators: {max_mb} is a number of megabytes.
        advice = _("A backup in Settings holds your documents too, up to {max_mb} MB of them, the newest first: "
                   "send it to your family.")
    else:
        # Translators: {max_mb} is a number of megabytes.
        advice = _("Set an app lock in Settings so that only you can open them. A backup in Settings holds "
                   "your documents too, up to {max_mb} MB of them, the newest first: send it to your family.")
    rows.append(tagged("documents-advice", muted(advice.format(max_mb=native_digits(data.backup_mb, lang)))))
    return screen(route, *rows, title=_("Documents"))


def confirm_delete_document(on_delete: Callable[[], None]) -> None:
    ask_first(title=_("Delete this document from this phone?"), body=_("This cannot be undone."),
              keep=("document-delete-cancel", _("Keep it")), go=("document-delete-confirm", _("Delete")),
              on_go=on_delete)


@ft.component
def DocumentScreen() -> ft.View:
    route = use_screen_route()
    env = use_env()
    lang = use_state_context().lang
    data: DocumentData = ft.use_route_loader_data()
    below = route.rstrip("/").rsplit("/", 1)[0]

    def delete() -> None:
        env.actions.delete_document(data.row.id)
        navigate(below)

    rows: list[ft.Control] = []
    if data.row is not None and data.row.name:
        rows.append(heading(data.row.name, identifier="document-title"))
        if data.row.added is not None:
            # Translators: {date} is the day a document's photo was added to the app.
            rows.append(muted(_("Added {date}").format(date=long_date(data.row.added, lang)), style=TS.BODY_MEDIUM))
    if data.photo is not None:
        rows.append(tagged("document-photo", ft.Image(src=data.photo, fit=ft.BoxFit.CONTAIN,
                                                      semantics_label=data.row.name if data.row else None)))
    if data.problem:
        rows.append(tagged("document-problem", text(data.problem, color=ft.Colors.ERROR)))
    if data.row is not None:
        rows.append(tagged("document-delete", ft.OutlinedButton(
            _("Delete this document"), icon=ft.Icons.DELETE_OUTLINE,
            on_click=lambda: confirm_delete_document(delete))))
    return screen(route, *rows, title=_("Documents"))
