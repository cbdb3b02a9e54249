"""Settings › Backup: the person's saved things in one file, locked with a passphrase,
to send to family or keep elsewhere, and put back on a new phone (app/storage/backup.py)."""

from __future__ import annotations

from typing import Awaitable, Callable

import flet as ft

from app.i18n import _
from app.views.common import TS, dialog, muted, subheading, tagged, text

# passphrase -> the words of a problem, or None (done: the action closed the dialog, or the
# person closed the file picker)
BackupAction = Callable[[str], Awaitable[str | None]]


def _passphrase_field(identifier: str, label: str, typed: dict, key: str) -> ft.Control:
    def change(event) -> None:
        typed[key] = event.control.value or ""

    return tagged(identifier, ft.TextField(label=label, password=True, can_reveal_password=True, on_change=change))


def _dialog(title: str, explanation: str, fields: list[ft.Control], problem: ft.Control,
            button: ft.Control) -> ft.AlertDialog:
    page = ft.context.page
    return dialog(
        title,
        ft.Column([text(explanation), *fields, problem], tight=True, spacing=12),
        [tagged("backup-cancel", ft.TextButton(_("Cancel"), on_click=lambda _e: page.pop_dialog())), button],
    )


def _ask_to_save(on_save: BackupAction) -> None:
    page = ft.context.page
    typed = {"passphrase": "", "again": ""}
    problem = tagged("backup-problem", ft.Text("", color=ft.Colors.ERROR), live_region=True)

    async def save(_event=None) -> None:
        words = None
        if typed["passphrase"] != typed["again"]:
            words = _("The two passphrases are not the same. Please type them again.")
        words = words or await on_save(typed["passphrase"])  # on success it closes this dialog
        if words:
            problem.content.value = words
            problem.update()

    page.show_dialog(_dialog(
        _("Choose a passphrase"),
        _("Anyone who has the file and the passphrase can read your important numbers and saved pages. "
          "Choose words others cannot guess, and keep them apart from the file."),
        [_passphrase_field("backup-passphrase", _("Passphrase"), typed, "passphrase"),
         _passphrase_field("backup-passphrase-again", _("Type the passphrase again"), typed, "again")],
        problem,
        tagged("backup-save-file", ft.FilledButton(_("Save the file"), icon=ft.Icons.SAVE_ALT, on_click=save)),
    ))


def _ask_to_restore(on_restore: BackupAction) -> None:
    page = ft.context.page
    typed = {"passphrase": ""}
    problem = tagged("backup-problem", ft.Text("", color=ft.Colors.ERROR), live_region=True)

    async def restore(_event=None) -> None:
        words = await on_restore(typed["passphrase"])  # on success it closes this dialog
        if words:
            problem.content.value = words
            problem.update()

    page.show_dialog(_dialog(
        _("Restore a backup"),
        _("Type the backup's passphrase, then choose the file. What the backup holds is added to this phone; "
          "where both have a value, the backup's is kept."),
        [_passphrase_field("backup-passphrase", _("Passphrase"), typed, "passphrase")],
        problem,
        tagged("backup-choose-file", ft.FilledButton(_("Choose the backup file"), icon=ft.Icons.FILE_OPEN,
                                                     on_click=restore)),
    ))


def backup_section(on_save: BackupAction, on_restore: BackupAction) -> list[ft.Control]:
    return [
        subheading(_("Backup"), identifier="settings-backup"),
        muted(_("Save your important numbers, saved pages and documents in one file, locked with a passphrase you "
                "choose. Send it to your family or keep it somewhere safe. On a new phone, restore it here."),
              style=TS.BODY_MEDIUM),
        tagged("settings-backup-save", ft.OutlinedButton(_("Save a backup"), icon=ft.Icons.BACKUP,
                                                         on_click=lambda: _ask_to_save(on_save))),
        tagged("settings-backup-restore", ft.OutlinedButton(_("Restore a backup"), icon=ft.Icons.RESTORE,
                                                            on_click=lambda: _ask_to_restore(on_restore))),
    ]
