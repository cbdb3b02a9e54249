"""Settings › "Delete all my data": one button, one confirmation, then the first-launch screen."""

from __future__ import annotations

from typing import Callable

import flet as ft

from app.i18n import _
from app.views.common import TS, ask_first, muted, subheading, tagged


def confirm_delete_everything(on_delete: Callable[[], None]) -> None:
    ask_first(title=_("Delete all your data from this phone?"),
              body=_("Your documents, important numbers, saved pages and choices will be deleted. "
                     "This cannot be undone. The app's information and the emergency numbers stay."),
              keep=("delete-cancel", _("Keep my data")), go=("delete-confirm", _("Delete")), on_go=on_delete)


def delete_everything_section(on_delete: Callable[[], None]) -> list[ft.Control]:
    return [
        subheading(_("Delete all my data"), identifier="settings-delete-heading"),
        muted(_("Removes everything you saved or chose in this app from this phone, "
                "for example if someone may look at it."), style=TS.BODY_MEDIUM),
        tagged("settings-delete-everything", ft.OutlinedButton(
            _("Delete all my data"), icon=ft.Icons.DELETE_FOREVER,
            on_click=lambda: confirm_delete_everything(on_delete))),
    ]
