"""Pick one item from a long list by typing a few letters: countries and languages.

Closed, a picker is one button that says what it is for and what is chosen ("Where I am,
Malaysia"). Open, it is a search box and the items that match what is typed, each named
in the reader's language; an item is also found by its English name or its code, so
"mal" finds मलेसिया for a Nepali reader who knows the English name.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Callable

import flet as ft

from app.content.dto import CountryOption
from app.i18n import _
from app.locale_data import babel_locale, country_name
from app.views.choices import choice_row
from app.views.common import TS, muted, tagged


# One item of a picker: its key, the words shown, and other words that find it.
@dataclass(frozen=True)
class PickOption:
    key: str
    label: str
    also: tuple[str, ...] = ()


def country_options(countries: list[CountryOption]) -> list[PickOption]:
    return [PickOption(c.code, c.name, (country_name(c.code, "en"), c.code)) for c in countries]


def language_options(languages: list[tuple[str, str]]) -> list[PickOption]:
    """Languages named in their own script, found by their English name or code too."""
    return [PickOption(code, name, (babel_locale(code).get_language_name("en") or code, code))
            for code, name in languages]


def folded(text: str) -> str:
    """Text compared without case or Latin accents ("Việt" finds "viet"); other scripts as written."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    # Only the Latin combining accents go: an Indic vowel sign is part of the word.
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not "\u0300" <= c <= "\u036f"))


def matching(options: list[PickOption], query: str) -> list[PickOption]:
    """Items whose label or other words contain `query`; those that start with it first,
    each group in the list's own order."""
    wanted = folded(query.strip())
    if not wanted:
        return list(options)
    starts, contains = [], []
    for option in options:
        words = [folded(w) for w in (option.label, *option.also)]
        if any(w.startswith(wanted) for w in words):
            starts.append(option)
        elif any(wanted in w for w in words):
            contains.append(option)
    return starts + contains


def closed_picker(label: str, chosen: str, on_open: Callable[[], None]) -> ft.OutlinedButton:
    """One button, read once: "Where I am, or where I am going, Malaysia"."""
    words = ft.Column(
        [ft.Text(label, theme_style=TS.LABEL_LARGE, color=ft.Colors.ON_SURFACE_VARIANT),
         ft.Text(chosen, theme_style=TS.TITLE_MEDIUM, weight=ft.FontWeight.W_600, color=ft.Colors.ON_SURFACE)],
        spacing=2, tight=True, expand=True,
    )
    return ft.OutlinedButton(
        content=ft.Row([words, ft.Icon(ft.Icons.SEARCH, color=ft.Colors.PRIMARY)], spacing=12),
        on_click=on_open,
        style=ft.ButtonStyle(shape=ft.RoundedRectangleBorder(radius=12),
                             padding=ft.Padding.symmetric(horizontal=16, vertical=10)),
    )


@ft.component
def Picker(options: list[PickOption], value: str | None, on_pick: Callable[[str], None], identifier: str,
           label: str, unchosen: str, hint: str) -> ft.Control:
    searching, set_searching = ft.use_state(False)
    query, set_query = ft.use_state("")
    opened_before = ft.use_ref(False)
    labels = {o.key: o.label for o in options}

    def close() -> None:
        set_query("")
        set_searching(False)

    def pick(key: str) -> Callable[[], None]:
        def picked() -> None:
            close()
            on_pick(key)
        return picked

    if searching:
        focus_target = ft.TextField(
            value=query,  # always the latest typed text, so a re-render never sends back an older one
            label=label,
            hint_text=hint,
            prefix_icon=ft.Icons.SEARCH,
            on_change=lambda e: set_query(e.control.value or ""),
        )
        found = matching(options, query)
        rows: list[ft.Control] = [tagged(f"{identifier}-search", focus_target)]
        if not found:
            # Translators: {query} is what the person typed to find an item in a list.
            rows.append(tagged(f"{identifier}-none", muted(_("Nothing matches “{query}”.").format(query=query),
                                                           style=TS.BODY_MEDIUM)))
        rows += [choice_row(f"{identifier}-{o.key}", o.label, o.key == value, pick(o.key)) for o in found]
        rows.append(tagged(f"{identifier}-close", ft.TextButton(_("Close"), icon=ft.Icons.CLOSE,
                                                                on_click=close)))
        shown: ft.Control = ft.Column(rows, spacing=8, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
    else:
        focus_target = closed_picker(label, labels.get(value) or unchosen, lambda: set_searching(True))
        shown = tagged(identifier, focus_target)

    async def keep_focus() -> None:
        # Opening moves the keyboard to the search box, closing back to the picker: never
        # to wherever Flutter falls back to (the Exit button, where Enter would hide the app).
        if opened_before.current or searching:
            opened_before.current = True
            await focus_target.focus()

    ft.use_effect(keep_focus, [searching])
    return shown


def country_picker(countries: list[CountryOption], value: str | None, on_pick: Callable[[str], None], *,
                   identifier: str, label: str) -> ft.Control:
    return Picker(country_options(countries), value, on_pick, identifier, label,
                  _("Choose a country"), _("Type the name of a country"))


def language_picker(languages: list[tuple[str, str]], value: str, on_pick: Callable[[str], None],
                    identifier: str) -> ft.Control:
    return Picker(language_options(languages), value, on_pick, identifier, _("Language"),
                  _("Choose a language"), _("Type the name of a language"))
