"""Settings: language, countries, "I am…", text size, high contrast, data use, the installed
content and "Check for updates now", about and privacy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import flet as ft

from app.content.dto import CountryOption, InstalledContent
from app.i18n import _
from app.state import TEXT_SCALES
from app.views.choices import choice_list
from app.views.common import (
    TS,
    heading,
    list_tile,
    long_date,
    muted,
    navigate,
    screen,
    subheading,
    tagged,
    text,
    use_env,
    use_screen_route,
    use_state_context,
)
from app.views.pickers import country_picker, language_picker
from app.views.app_lock_settings import app_lock_section
from app.views.backup_settings import backup_section
from app.views.delete_everything import delete_everything_section


# What the settings route loader hands the screen.
@dataclass(frozen=True)
class SettingsData:
    languages: list[tuple[str, str]]  # (code, name in its own script)
    countries: list[CountryOption]
    installed: InstalledContent | None
    updates_set_up: bool
    last_verified: datetime | None = None


def role_options() -> list[tuple[str, str]]:
    return [
        ("planning", _("Planning to go abroad")),
        ("abroad", _("Working or living abroad")),
        ("family", _("A family member at home")),
    ]


def text_size_options() -> list[tuple[str, str]]:
    names = [_("Normal"), _("Large"), _("Larger"), _("Largest")]
    return [(str(i), names[i]) for i in range(len(TEXT_SCALES))]


def data_use_options() -> list[tuple[str, str]]:
    return [
        ("wifi_only", _("Only on Wi-Fi")),
        ("any_network", _("On any network")),
        ("never", _("Never (I will check myself)")),
    ]


def content_section(data: SettingsData, state, actions) -> list[ft.Control]:
    rows: list[ft.Control] = [subheading(_("Information on this phone"), identifier="settings-content")]
    if data.installed:
        # Translators: {version} is the number of the installed information; {date} when it was published.
        rows.append(tagged("settings-version", text(_("Version {version}, published on {date}").format(
            version=data.installed.version, date=long_date(data.installed.created_at, state.lang)))))
    if data.last_verified:
        # Translators: {date} is the last day the update server confirmed this information is current.
        rows.append(tagged("settings-last-verified", text(_("Last verified on {date}").format(
            date=long_date(data.last_verified, state.lang)))))
    if data.updates_set_up:
        button = ft.FilledButton(
            _("Check for updates now"), icon=ft.Icons.SYNC, disabled=state.sync_busy,
            on_click=actions.check_for_updates,
        )
        rows.append(tagged("settings-check-updates", button))
    else:
        rows.append(muted(_("Updates are not set up in this version of the app."), style=TS.BODY_MEDIUM))
    if state.sync_status:
        status = ft.Row([ft.ProgressRing(width=20, height=20)] if state.sync_busy else [], spacing=8)
        # The id is on the text itself: on the row, Flutter drops it once the ring goes.
        status.controls.append(tagged("settings-sync-status", text(state.sync_status), live_region=True, expand=True))
        rows.append(status)
    if state.sync_busy:
        rows.append(tagged("settings-cancel-update", ft.OutlinedButton(
            _("Cancel"), icon=ft.Icons.CLOSE, on_click=actions.cancel_update)))
    return rows


@ft.component
def SettingsScreen() -> ft.View:
    route = use_screen_route()
    env = use_env()
    state = use_state_context()
    data: SettingsData = ft.use_route_loader_data()
    actions = env.actions
    rows: list[ft.Control] = [
        heading(_("Settings"), identifier="settings-title"),
        subheading(_("Language")),
        language_picker(data.languages, state.lang, actions.choose_language, "settings-language"),
        subheading(_("I am…")),
        choice_list("role", role_options(), state.role, actions.choose_role),
        subheading(_("Countries")),
        country_picker(data.countries, state.country, actions.choose_country, identifier="settings-country",
                       label=_("Where I am, or where I am going")),
        country_picker(data.countries, state.origin, actions.choose_origin, identifier="settings-origin",
                       label=_("My country of origin")),
        subheading(_("Text size"), identifier="settings-text-size"),
        choice_list("text-size", text_size_options(), str(state.text_step), lambda v: actions.choose_text_step(int(v))),
        subheading(_("Display")),
        tagged("settings-contrast", ft.Switch(
            label=_("High contrast"), value=state.high_contrast,
            on_change=lambda e: actions.choose_high_contrast(bool(e.control.value)))),
        subheading(_("Use of data"), identifier="settings-data-use"),
        muted(_("When may the app download new information by itself?"), style=TS.BODY_MEDIUM),
        choice_list("data-use", data_use_options(), state.data_use, actions.choose_data_use),
        *content_section(data, state, actions),
        subheading(_("About")),
        list_tile("settings-about", _("About Safe Journey"), leading=ft.Icons.INFO_OUTLINE,
                  on_click=lambda: navigate(f"{route.rstrip('/')}/articles/about-safe-journey")),
        list_tile("settings-privacy", _("Your privacy"), leading=ft.Icons.PRIVACY_TIP_OUTLINED,
                  on_click=lambda: navigate(f"{route.rstrip('/')}/articles/privacy")),
        list_tile("settings-safety", _("Your safety and quick exit"), leading=ft.Icons.SHIELD_OUTLINED,
                  on_click=lambda: navigate("/safety")),
        *app_lock_section(state.lock_on, actions.set_pin, actions.remove_pin),
        *backup_section(actions.save_backup, actions.restore_backup),
        *delete_everything_section(actions.delete_everything),
    ]
    return screen(route, *rows, title=_("Settings"))
