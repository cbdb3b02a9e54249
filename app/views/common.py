"""Pieces every screen shares: the screen frame (app bar with search and quick exit,
status line and bottom navigation), test identifiers, text styles, dates, icons.

Text sizes always come from the theme (`theme_style=`), so the text-size setting
(app/theme.py) scales every screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Callable

import flet as ft

from app.content.dto import ContactCard, SearchHit
from app.fonts import line_height_for
from app.i18n import _
from app.locale_data import format_phone_for_display, language_name_in, long_date  # screens write dates with long_date
from app.state import AppState, StateContext
from app.views.storage_banner import storage_banner

if TYPE_CHECKING:
    from app.actions import Actions

GAP = 12
TS = ft.TextThemeStyle


# What screens may ask for outside their route loader (not reactive).
@dataclass(frozen=True)
class Env:
    state: AppState
    actions: Actions
    search: Callable[[str, str, int], list[SearchHit]]  # (query, lang, limit)


EnvContext = ft.create_context(None)


def use_env() -> Env:
    return ft.use_context(EnvContext)


def use_state_context() -> AppState:
    """The session's state; the calling component re-renders when it changes."""
    return ft.use_context(StateContext)


def use_screen_route() -> str:
    """This screen's own path (its place in the stack)."""
    return ft.use_view_path()


def navigate(route: str) -> None:
    ft.context.page.navigate(route)


def go_to(route: str) -> Callable[[], None]:
    """A click handler that opens `route` (made per row, so each row keeps its own route)."""
    return lambda: navigate(route)


def tagged(identifier: str, content: ft.Control, **semantics) -> ft.Control:
    """Give a control a stable id; Flutter web shows it as `flt-semantics-identifier`."""
    return ft.Semantics(identifier=identifier, content=content, **semantics)


def card(identifier: str, tile: ft.Control, *, bgcolor: str | None = None) -> ft.Control:
    """A tappable list tile on a card, tagged for tests."""
    return tagged(identifier, ft.Card(content=tile, margin=0, bgcolor=bgcolor))


def text(value: str, style: ft.TextThemeStyle = TS.BODY_MEDIUM, **kwargs) -> ft.Text:
    return ft.Text(value, theme_style=style, **kwargs)


def heading(value: str, *, style: ft.TextThemeStyle = TS.HEADLINE_SMALL, identifier: str | None = None) -> ft.Control:
    title = ft.Text(value, theme_style=style, weight=ft.FontWeight.BOLD)
    wrapped = ft.Semantics(header=True, content=title, identifier=identifier) if identifier else title
    return wrapped


def subheading(value: str, *, identifier: str | None = None) -> ft.Control:
    return ft.Container(heading(value, style=TS.TITLE_LARGE, identifier=identifier), padding=ft.Padding.only(top=GAP))


def muted(value: str, *, style: ft.TextThemeStyle = TS.BODY_SMALL) -> ft.Text:
    return ft.Text(value, theme_style=style, color=ft.Colors.ON_SURFACE_VARIANT)


def show_more(on_click: Callable[[], None], identifier: str) -> ft.Control:
    return tagged(identifier, ft.OutlinedButton(_("Show more"), on_click=on_click))


def material_icon(name: str, default: ft.IconData = ft.Icons.ARTICLE_OUTLINED) -> ft.IconData:
    """Content names icons in lower snake case (`medical_services`); unknown names get a default."""
    return getattr(ft.Icons, (name or "").upper(), default)


# Phone numbers
def service_call_label(number: str, services: tuple[str, ...]) -> str:
    """"Call 995 — ambulance": the number and the service it is offered for, as one sentence."""
    labels = {
        # Translators: on a button that calls the one number for every emergency; {number} is it, e.g. 999.
        ("all",): _("Call {number} — all emergencies"),
        # Translators: on a button that calls an emergency number; {number} is the number, e.g. 995.
        ("ambulance",): _("Call {number} — ambulance"),
        # Translators: on a button that calls an emergency number; {number} is the number, e.g. 999.
        ("police",): _("Call {number} — police"),
        # Translators: on a button that calls an emergency number; {number} is the number, e.g. 995.
        ("fire",): _("Call {number} — fire"),
        # Translators: on a button that calls an emergency number; {number} is the number, e.g. 995.
        ("ambulance", "fire"): _("Call {number} — ambulance and fire"),
        # Translators: on a button that calls an emergency number no source has told us the service of.
        ("unknown",): _("Call {number} — emergency number, service not confirmed"),
    }
    label = labels.get(services) or labels.get(services[:1]) or _("Call {number}")
    return label.format(number=number)


def call_button(contact: ContactCard, *, identifier: str, big: bool = False,
                services: tuple[str, ...] | None = None) -> ft.Control | None:
    """A button that opens the phone's dialler (the contact's validated `tel:` link).

    With `services`, the button says which service answers ("Call 995 — ambulance").
    A contact without a valid number gets no button at all."""
    if not contact.tel:
        return None
    number = format_phone_for_display(contact.dial or "")
    # Translators: on a button that starts a phone call; {number} is the phone number.
    label = service_call_label(number, services) if services else _("Call {number}").format(number=number)
    button = ft.FilledButton(
        # A long label in a long language wraps, and the button grows with it (no fixed height).
        ft.Text(label, text_align=ft.TextAlign.CENTER),
        icon=ft.Icons.CALL,
        action=ft.OpenUrl(contact.tel),
        style=ft.ButtonStyle(bgcolor=ft.Colors.PRIMARY, color=ft.Colors.ON_PRIMARY,
                             padding=ft.Padding.symmetric(vertical=20 if big else 12, horizontal=16)),
    )
    return tagged(identifier, button)


def copy_button(value: str, *, identifier: str, label: str | None = None) -> ft.Control:
    """Copy a number or text to the clipboard, inside the tap (browsers allow it only then)."""

    def copied() -> None:
        ft.context.page.show_dialog(ft.SnackBar(ft.Text(_("Copied")), duration=2000))

    button = ft.OutlinedButton(
        label or _("Copy number"),
        icon=ft.Icons.COPY,
        action=ft.CopyToClipboard(value),
        on_click=copied,
    )
    return tagged(identifier, button)


# The frame of every screen
NAV_ITEMS = (
    ("/", ft.Icons.HOME_OUTLINED, ft.Icons.HOME, "nav-home"),
    ("/contacts", ft.Icons.CONTACT_PHONE_OUTLINED, ft.Icons.CONTACT_PHONE, "nav-contacts"),
    ("/saved", ft.Icons.BOOKMARKS_OUTLINED, ft.Icons.BOOKMARKS, "nav-saved"),
    ("/settings", ft.Icons.SETTINGS_OUTLINED, ft.Icons.SETTINGS, "nav-settings"),
)


def nav_labels() -> dict[str, str]:
    return {"/": _("Home"), "/contacts": _("Contacts"), "/saved": _("Saved"), "/settings": _("Settings")}


def section_of(location: str) -> str:
    first = "/" + location.strip("/").split("/")[0]
    return first if first in {path for path, *_rest in NAV_ITEMS} else "/"


def nav_button(path: str, icon, selected_icon, identifier: str, label: str, selected: bool,
               icon_size: int = 24) -> ft.Control:
    body = ft.Column(
        [
            ft.Container(
                ft.Icon(selected_icon if selected else icon, size=icon_size,
                        color=ft.Colors.ON_SECONDARY_CONTAINER if selected else None),
                bgcolor=ft.Colors.SECONDARY_CONTAINER if selected else None,
                border_radius=16,
                padding=ft.Padding.symmetric(horizontal=16, vertical=2),
            ),
            ft.Text(
                # Two lines: "ဆက်သွယ်ရန်" or Tamil at the largest text would otherwise end in "…".
                label, theme_style=TS.LABEL_SMALL, max_lines=NAV_LABEL_LINES, overflow=ft.TextOverflow.ELLIPSIS,
                weight=ft.FontWeight.BOLD if selected else ft.FontWeight.NORMAL, text_align=ft.TextAlign.CENTER,
            ),
        ],
        spacing=2,
        tight=True,
        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
    )
    target = ft.Container(
        body, on_click=lambda: navigate(path), ink=True, border_radius=12,
        padding=ft.Padding.symmetric(vertical=4), alignment=ft.Alignment.CENTER,
    )
    # The label is the words inside: named once ("Home"), not "Home Home".
    return ft.Container(tagged(identifier, target, button=True, selected=selected), expand=True)


def status_text(state: AppState) -> str:
    """Whether updates reach the phone, and when the update server last vouched for the content
    (the signed time, not the phone's clock); past its signed expiry, that it may be out of date."""
    if state.data_use == "never":
        online = _("Updates off")
    elif state.checking:
        online = _("Checking for new information…")
    elif state.online:
        online = _("Online")
    else:
        online = _("Offline")
    if state.content is None:
        return online
    verified = long_date(state.verified_at or state.content.created_at, state.lang)
    if state.out_of_date(datetime.now(timezone.utc)):
        # Translators: the status line; {online} is "Online" or "Offline", {date} when the update server last confirmed the information.
        return _("{online} · may be out of date, last verified {date}").format(online=online, date=verified)
    # Translators: the status line; {online} is "Online" or "Offline", {date} when the update server last confirmed the information, {version} its number.
    return _("{online} · verified {date} (version {version})").format(
        online=online, date=verified, version=state.content.version
    )


def status_line(state: AppState) -> ft.Control:
    icon = ft.Icons.CLOUD_DONE_OUTLINED if state.online else ft.Icons.CLOUD_OFF_OUTLINED
    row = ft.Row(
        [ft.Icon(icon, size=16, color=ft.Colors.ON_SURFACE_VARIANT),
         ft.Text(status_text(state), theme_style=TS.LABEL_SMALL, color=ft.Colors.ON_SURFACE_VARIANT,
                 max_lines=1, overflow=ft.TextOverflow.ELLIPSIS, expand=True)],
        spacing=6,
    )
    return tagged("status-line", row)


NAV_LABEL_LINES = 2
LABEL_LARGE_SIZE = 16  # app/theme.py's label_large, the size of button words
LABEL_SMALL_SIZE = 13  # app/theme.py's label_small, which the status line and nav labels use
DEFAULT_LINE_HEIGHT = 1.5  # Noto's own line height, about; tall scripts set theirs in app/fonts.py


def line_px(size: float, state: AppState) -> float:
    """The height of one line of text of `size` at the person's text size, in their script."""
    return size * state.text_scale * (line_height_for(state.lang) or DEFAULT_LINE_HEIGHT)


def icon_px(state: AppState) -> int:
    """Icons grow with the text."""
    return round(24 * state.text_scale)


def bottom_bar_height(state: AppState) -> int:
    """Room for the status line, the icons and two lines of labels, so no label is cut."""
    status = line_px(LABEL_SMALL_SIZE, state)
    labels = NAV_LABEL_LINES * line_px(LABEL_SMALL_SIZE, state)
    return round(8 + status + 2 + icon_px(state) + 8 + 2 + labels + 8)


def bottom_bar(state: AppState, location: str) -> ft.BottomAppBar:
    labels = nav_labels()
    current = section_of(location)
    buttons = [nav_button(p, i, si, ident, labels[p], p == current, icon_px(state)) for p, i, si, ident in NAV_ITEMS]
    return ft.BottomAppBar(
        content=ft.Column([status_line(state), ft.Row(buttons, spacing=0, vertical_alignment=ft.CrossAxisAlignment.START)],
                          spacing=2, tight=True),
        padding=ft.Padding.symmetric(horizontal=8, vertical=4),
        height=bottom_bar_height(state),
        bgcolor=ft.Colors.SURFACE_CONTAINER,
    )


def quick_exit_button(env: Env, state: AppState) -> ft.Control:
    """The Exit at the top of every screen (the app bar's colours)."""
    return tagged("quick-exit", _exit_pill(env.actions.quick_exit, state, ft.Colors.ON_PRIMARY))


def _exit_room_below(state: AppState) -> int:
    """Room under the word Exit: Nastaliq and Burmese letters reach below the line Flutter
    measures for them (the taller a script's lines, the deeper its letters reach)."""
    return 6 + round(LABEL_LARGE_SIZE * state.text_scale * max(0.0, (line_height_for(state.lang) or 1.5) - 1.5))


def exit_pill_px(state: AppState) -> float:
    """How tall the Exit pill is, about: its word's line, the room around it and the padding (at least 48 px)."""
    return line_px(LABEL_LARGE_SIZE, state) + 6 + _exit_room_below(state) + 2 * 8


def _exit_pill(on_click: Callable[..., None], state: AppState, colour: str) -> ft.Control:
    # No fixed height: the word grows with the text size and Urdu's tall letters stay inside.
    button = ft.TextButton(
        ft.Container(ft.Text(_("Exit")),
                     padding=ft.Padding.only(left=4, right=4, top=6, bottom=_exit_room_below(state))),
        icon=ft.Icons.CLOSE,
        on_click=on_click,
        style=ft.ButtonStyle(color=colour, icon_color=colour, icon_size=icon_px(state),
                             side=ft.BorderSide(1, colour),
                             padding=ft.Padding.symmetric(horizontal=14, vertical=8)),
        tooltip=_("Quick exit: hide this app at once"),
    )
    # A margin on both sides: in Urdu the button sits at the left edge and Nastaliq letters overhang.
    return ft.Container(button, padding=ft.Padding.symmetric(horizontal=8))


ACTIONS_KEY = "safe_journey.actions"  # the session's Actions, for dialogs opened by a tap (no hooks there)


def dialog(title: str, content: ft.Control, actions: list[ft.Control]) -> ft.AlertDialog:
    """A dialog that waits for an answer, with its own Exit at the top: a dialog covers the app
    bar (and its Exit) until it is closed, and quick exit must work from any screen.
    The Exit closes every dialog and hides the app at once (Actions.quick_exit)."""
    page = ft.context.page
    actions_ = page.session.store.get(ACTIONS_KEY)
    heading_words = ft.Text(title, theme_style=TS.HEADLINE_SMALL, expand=True)
    if actions_ is None:  # no session actions (a test of one view): nothing to exit from
        heading = heading_words
    else:
        exit_pill = tagged("dialog-quick-exit", _exit_pill(lambda _e=None: actions_.quick_exit(), actions_.state,
                                                           ft.Colors.PRIMARY))
        heading = ft.Row([heading_words, exit_pill], vertical_alignment=ft.CrossAxisAlignment.START, spacing=4)
    return ft.AlertDialog(modal=True, title=heading, content=content, actions=actions)


def search_button(state: AppState) -> ft.Control:
    # An icon has no words: the button is named here, once, and its own unnamed node is left out.
    button = ft.IconButton(ft.Icons.SEARCH, icon_color=ft.Colors.ON_PRIMARY, icon_size=icon_px(state),
                           on_click=lambda: navigate("/search"))
    return tagged("open-search", button, button=True, label=_("Search"), exclude_semantics=True,
                  on_tap=lambda: navigate("/search"))


def toolbar_px(state: AppState) -> int:
    """The app bar's height: the title's line and the Exit pill, tall scripts too."""
    return round(max(56, 16 + line_px(22, state), 8 + exit_pill_px(state)))


def app_bar(env: Env, state: AppState, title: str | None = None, *, searchable: bool = True) -> ft.AppBar:
    bar_actions = [search_button(state)] if searchable else []
    bar_actions.append(quick_exit_button(env, state))
    return ft.AppBar(
        title=ft.Text(title or _("Safe Journey"), theme_style=TS.TITLE_LARGE, weight=ft.FontWeight.W_600,
                      color=ft.Colors.ON_PRIMARY, max_lines=1, overflow=ft.TextOverflow.ELLIPSIS),
        bgcolor=ft.Colors.PRIMARY,
        color=ft.Colors.ON_PRIMARY,
        actions=bar_actions,
        toolbar_height=toolbar_px(state),
    )


def screen(route: str, *controls: ft.Control, title: str | None = None, searchable: bool = True) -> ft.View:
    """One screen: app bar (search, quick exit), the controls in a column that scrolls
    vertically only, and at the bottom the status line and the main sections.

    `route` must be the screen's own path: Flutter keys the page stack by it, and the
    app bar shows a back arrow on every screen above the first.
    """
    env = use_env()
    state = use_state_context()
    location = ft.use_route_location()
    banner = storage_banner(state.storage_notices)
    controls = ([banner] if banner else []) + list(controls)
    return ft.View(
        route=route,
        can_pop=route != "/",
        appbar=app_bar(env, state, title, searchable=searchable),
        bottom_appbar=bottom_bar(state, location),
        controls=controls,
        scroll=ft.ScrollMode.AUTO,
        padding=ft.Padding.symmetric(horizontal=16, vertical=GAP),
        spacing=GAP,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )


def shown_in(text_lang: str, reader_lang: str) -> str | None:
    """The language a listed page is in, named for the reader, when it is not theirs (most pages
    are only in English for now: the list says so before the person opens one)."""
    return language_name_in(text_lang, reader_lang) if text_lang and text_lang != reader_lang else None


def language_tag(language: str) -> ft.Control:
    return ft.Row([ft.Icon(ft.Icons.TRANSLATE, size=16, color=ft.Colors.ON_SURFACE_VARIANT),
                   ft.Text(language, theme_style=TS.LABEL_MEDIUM, color=ft.Colors.ON_SURFACE_VARIANT)],
                  spacing=4, tight=True)


def list_tile(identifier: str, title: str, subtitle: str | None = None, *, on_click=None, leading=None,
              trailing=ft.Icons.CHEVRON_RIGHT, max_lines: int | None = 3, language: str | None = None) -> ft.Control:
    """`language`: the name of the language the page is in, when it is not the reader's."""
    lines: list[ft.Control] = []
    if subtitle:
        lines.append(ft.Text(subtitle, theme_style=TS.BODY_MEDIUM, max_lines=max_lines,
                             overflow=ft.TextOverflow.ELLIPSIS))
    if language:
        lines.append(language_tag(language))
    tile = ft.ListTile(
        leading=ft.Icon(leading, color=ft.Colors.PRIMARY) if leading else None,
        title=ft.Text(title, theme_style=TS.TITLE_SMALL, weight=ft.FontWeight.W_600),
        subtitle=(lines[0] if len(lines) == 1 else ft.Column(lines, spacing=4, tight=True)) if lines else None,
        trailing=ft.Icon(trailing) if trailing else None,
        min_height=56,
        on_click=on_click,
    )
    return card(identifier, tile)


def ask_first(*, title: str, body: str, keep: tuple[str, str], go: tuple[str, str], on_go: Callable[[], None],
              destructive: bool = True) -> None:
    """A question before something that cannot be undone: `keep` and `go` are (identifier, words)
    of the two buttons; `on_go` runs once the dialog has closed."""
    page = ft.context.page

    def go_on(_event=None) -> None:
        page.pop_dialog()
        on_go()

    style = ft.ButtonStyle(bgcolor=ft.Colors.ERROR, color=ft.Colors.ON_ERROR) if destructive else None
    page.show_dialog(dialog(
        title,
        ft.Text(body),
        [
            tagged(keep[0], ft.TextButton(keep[1], on_click=lambda _e: page.pop_dialog())),
            tagged(go[0], ft.FilledButton(go[1], icon=ft.Icons.DELETE_FOREVER if destructive else None,
                                          on_click=go_on, style=style)),
        ],
    ))
