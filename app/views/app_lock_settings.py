"""Settings › App lock: turn a PIN on or off. The PIN is typed twice; it is never shown again."""

from __future__ import annotations

from typing import Callable

import flet as ft

from app.i18n import _
from app.views.common import TS, dialog, muted, subheading, tagged, text

MIN_PIN_DIGITS = 6


def pin_problem(pin: str, again: str) -> str | None:
    """What is wrong with a new PIN, in words; None when it can be used."""
    if not pin.isdigit() or len(pin) < MIN_PIN_DIGITS:
        # Translators: {digits} is the smallest number of digits a PIN may have.
        return _("Use at least {digits} digits, and only digits.").format(digits=MIN_PIN_DIGITS)
    if pin != again:
        return _("The two PINs are not the same. Please type them again.")
    return None


def _ask_for_new_pin(on_set: Callable[[str], str | None]) -> None:
    page = ft.context.page
    typed = {"pin": "", "again": ""}
    problem = tagged("pin-problem", ft.Text("", color=ft.Colors.ERROR), live_region=True)

    def field(key: str, identifier: str, label: str) -> ft.Control:
        def change(event) -> None:
            typed[key] = event.control.value or ""

        return tagged(identifier, ft.TextField(label=label, password=True, can_reveal_password=True,
                                               keyboard_type=ft.KeyboardType.NUMBER, on_change=change))

    def save(_event=None) -> None:
        words = pin_problem(typed["pin"], typed["again"]) or on_set(typed["pin"])
        if words:
            problem.content.value = words
            problem.update()
            return
        page.pop_dialog()
        page.show_dialog(ft.SnackBar(ft.Text(_("The app lock is on.")), duration=3000))

    page.show_dialog(dialog(
        _("Choose a PIN"),
        ft.Column([
            text(_("Remember it: without your PIN, your saved things cannot be opened.")),
            field("pin", "pin-new", _("New PIN (at least {digits} digits)").format(digits=MIN_PIN_DIGITS)),
            field("again", "pin-again", _("Type the PIN again")),
            problem,
        ], tight=True, spacing=12),
        [
            tagged("pin-cancel", ft.TextButton(_("Cancel"), on_click=lambda _e: page.pop_dialog())),
            tagged("pin-save", ft.FilledButton(_("Turn on the lock"), icon=ft.Icons.LOCK, on_click=save)),
        ],
    ))


def app_lock_section(lock_on: bool, on_set: Callable[[str], str | None], on_remove: Callable[[], None]) -> list[ft.Control]:
    rows: list[ft.Control] = [
        subheading(_("App lock"), identifier="settings-app-lock"),
        muted(_("Ask for a PIN when the app opens. Your important numbers, saved pages and choices stay "
                "locked until the PIN is typed. The emergency numbers can always be reached without it."),
              style=TS.BODY_MEDIUM),
    ]
    if lock_on:
        rows += [tagged("settings-lock-state", text(_("The app lock is on."))),
                 tagged("settings-lock-off", ft.OutlinedButton(_("Turn off the lock"), icon=ft.Icons.LOCK_OPEN,
                                                               on_click=on_remove))]
    else:
        rows.append(tagged("settings-lock-on", ft.OutlinedButton(_("Set a PIN"), icon=ft.Icons.LOCK,
                                                                 on_click=lambda: _ask_for_new_pin(on_set))))
    return rows
