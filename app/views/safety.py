"""Safety: what the Exit button does, and what it does not do."""

from __future__ import annotations

import flet as ft

from app.hidden_lock import LOCK_AFTER_HIDDEN_S
from app.i18n import _
from app.views.common import TS, heading, screen, subheading, tagged, text, use_env, use_screen_route


def bullets(lines: list[str]) -> ft.Control:
    return ft.Column([ft.Row([text("•"), text(line, expand=True)], vertical_alignment=ft.CrossAxisAlignment.START)
                      for line in lines], spacing=6)


@ft.component
def SafetyScreen() -> ft.View:
    route = use_screen_route()
    env = use_env()
    rows = [
        heading(_("Your safety and quick exit"), identifier="safety-title"),
        text(_("If someone is looking at your phone, tap Exit at the top of any screen. The app is replaced "
               "at once by a plain notes page, with no Red Cross name or sign.")),
        subheading(_("What Exit does")),
        bullets([
            _("It hides the screen you were reading and everything behind it."),
            _("It clears the way back: the back button does not return to the app's pages."),
        ]),
        subheading(_("What Exit does not do")),
        bullets([
            _("It does not delete your browser history or the installed app."),
            _("Someone who opens the app again will see the app."),
            _("It does not delete your saved pages or your important numbers."),
            _("It does not delete your documents. Without the app lock, someone who opens the app again can see them."),
        ]),
        tagged("safety-app-lock", text(_("With the app lock on (Settings › App lock), Exit also locks the app: "
                                         "opening it again, even in a new tab, asks for your PIN. The emergency "
                                         "numbers can still be reached without it."))),
        # Translators: {seconds} is how long the app can be away (behind other apps) before it asks for the PIN again.
        tagged("safety-away", text(_("With the app lock on, the app also asks for your PIN when you come back to it "
                                     "after {seconds} seconds or more. Your phone's list of recent apps can show a "
                                     "small picture of the last screen: tap Exit before you put the phone "
                                     "down.").format(seconds=int(LOCK_AFTER_HIDDEN_S)))),
        text(_("This app has no account and sends nothing about you to anyone. Read more in “Your privacy”."),
             TS.BODY_MEDIUM),
        tagged("safety-try-exit", ft.OutlinedButton(_("Try Exit now"), icon=ft.Icons.CLOSE,
                                                    on_click=env.actions.quick_exit)),
    ]
    return screen(route, *rows, title=_("Safety"))
