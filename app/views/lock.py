"""The lock screen: the app lock is on and the PIN not yet given.

Nothing personal is shown, and the emergency numbers of the chosen country are there
without the PIN: a person in danger is never locked out of 999. A wrong PIN gets a calm
message with the count of tries; past a few, each try waits (see app/storage/user_store.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft

from app.content.emergency import EmergencyCall
from app.i18n import _
from app.views.common import GAP, TS, heading, muted, quick_exit_button, subheading, tagged, text, toolbar_px
from app.views.delete_everything import confirm_delete_everything
from app.views.home import emergency_buttons


# What the lock screen's loader hands it: only what the device key opens.
@dataclass(frozen=True)
class LockData:
    emergency: list[EmergencyCall]
    country_name: str | None


def unlock_message(failures: int, wait_s: int) -> str:
    if wait_s > 0:
        # Translators: {seconds} is how long the person must wait before typing the PIN again.
        return _("Too many tries. Please wait a little, then try again. Seconds to wait: {seconds}.").format(
            seconds=wait_s)
    # Translators: {count} is how many wrong PINs were typed in a row.
    return _("That PIN is not right. Please try again. Tries so far: {count}.").format(count=failures)


@ft.component
def LockScreen(env, state, data: LockData) -> ft.View:
    pin = ft.use_ref("")
    message, set_message = ft.use_state("")
    actions = env.actions

    def change(event) -> None:
        pin.current = event.control.value or ""

    def unlock(_event=None) -> None:
        result = actions.unlock(pin.current)
        if not result.unlocked:
            pin.current = ""  # the field is drawn again, empty
            set_message(unlock_message(result.failures, result.wait_s))

    rows: list[ft.Control] = [
        heading(_("Enter your PIN"), identifier="lock-title"),
        tagged("lock-pin", ft.TextField(label=_("PIN"), password=True, can_reveal_password=True,
                                        keyboard_type=ft.KeyboardType.NUMBER, autofocus=True,
                                        on_change=change, on_submit=unlock)),
        tagged("lock-unlock", ft.FilledButton(_("Unlock"), icon=ft.Icons.LOCK_OPEN, on_click=unlock)),
    ]
    if message:
        rows.append(tagged("lock-message", text(message), live_region=True))
    rows.append(subheading(_("In an emergency"), identifier="lock-emergency"))
    buttons = emergency_buttons(data.emergency)
    rows += buttons or [muted(_("Choose your country in Settings to see its emergency number here."))]
    rows += [
        subheading(_("Forgot your PIN?")),
        muted(_("Without your PIN, your saved things cannot be opened. You can delete them and start again."),
              style=TS.BODY_MEDIUM),
        tagged("lock-delete-everything", ft.OutlinedButton(
            _("Delete all my data"), icon=ft.Icons.DELETE_FOREVER,
            on_click=lambda: confirm_delete_everything(actions.delete_everything))),
    ]
    return ft.View(
        route="/",
        can_pop=False,
        appbar=ft.AppBar(title=ft.Text(_("Locked")), automatically_imply_leading=False, bgcolor=ft.Colors.PRIMARY,
                         color=ft.Colors.ON_PRIMARY, actions=[quick_exit_button(env, state)],
                         toolbar_height=toolbar_px(state)),
        controls=[tagged("lock-screen", ft.Column(rows, spacing=GAP, horizontal_alignment=ft.CrossAxisAlignment.STRETCH))],
        scroll=ft.ScrollMode.AUTO,
        padding=ft.Padding.symmetric(horizontal=16, vertical=GAP),
    )
