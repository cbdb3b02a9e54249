"""The banner that says, in plain words, what went wrong with the phone's storage."""

from __future__ import annotations

import flet as ft

from app.i18n import _

# The codes of app/storage/problems.py (StorageProblem), by value: screens never import storage.
LOST_THINGS = {"settings_lost", "bookmarks_lost", "important_numbers_lost"}


def notice_text(notice) -> str:
    """Words for one StorageNotice (`problem` code, `megabytes`)."""
    problem = str(notice.problem)
    if problem == "phone_full":
        # Translators: {megabytes} is the free space the app needs, in megabytes (MB).
        return _("Your phone is full. The app needs about {megabytes} MB of free space. "
                 "Until you free some space, nothing can be saved.").format(
            megabytes=notice.megabytes or 1)
    words = {
        "cannot_save": _("Your phone's storage is full or cannot be written. "
                         "Nothing you change can be saved until space is freed."),
        "content_rebuilt": _("The app's information on this phone was damaged. It was restored "
                         "from the copy built into the app."),
        "content_repaired": _("Some of the app's information on this phone was damaged or changed. "
                         "It has been repaired."),
        "settings_lost": _("Your settings could not be read, so they were reset."),
        "bookmarks_lost": _("Your saved articles could not be read."),
        "important_numbers_lost": _("Your important numbers could not be read."),
        "keys_lost": _("Your saved things cannot be opened: the key that protects them is missing "
                       "from this phone. They were left as they are. Nothing you change now can be saved. "
                       "To start again, use “Delete all my data” in Settings."),
    }
    return words.get(problem, "")


def storage_banner(notices: tuple) -> ft.Control | None:
    """None when all is well; else one line per problem, in a box above the screen."""
    lines = [notice_text(n) for n in dict.fromkeys(notices)]
    if not lines:
        return None
    if any(str(n.problem) in LOST_THINGS for n in notices):
        lines.append(_("The damaged file was kept on the phone."))
    column = ft.Column([ft.Text(line) for line in lines], spacing=4, tight=True)
    box = ft.Container(
        ft.Row([ft.Icon(ft.Icons.WARNING_AMBER_ROUNDED, color=ft.Colors.ON_ERROR_CONTAINER),
                ft.Container(column, expand=True)], vertical_alignment=ft.CrossAxisAlignment.START),
        bgcolor=ft.Colors.ERROR_CONTAINER,
        border_radius=8,
        padding=12,
    )
    return ft.Semantics(identifier="storage-banner", content=box)
