"""UI state of one app session: one observable dataclass, mutated only by its methods.

Components that read it through `StateContext` re-render when a field changes.
Content itself is not kept here: screens get it from route loaders (see app/ui.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft

from app.i18n import set_language

PAGE_SIZE = 20  # rows shown per "Show more" step; Flet serialises every control it is given


# What the person has chosen and where they are in the app.
@ft.observable
@dataclass
class AppState:
    lang: str = "en"
    country: str | None = None  # where the person is; picks the contacts shown with articles
    route: str = "/"
    query: str = ""
    result_limit: int = PAGE_SIZE

    def set_language(self, lang: str) -> None:
        set_language(lang)
        self.lang = lang

    def set_country(self, country: str | None) -> None:
        self.country = country.upper() if country else None

    def set_route(self, route: str) -> None:
        self.route = route or "/"

    def set_query(self, query: str) -> None:
        query = " ".join(query.split())
        if query != self.query:
            self.result_limit = PAGE_SIZE
        self.query = query

    def show_more_results(self) -> None:
        self.result_limit += PAGE_SIZE


# Reactive: components reading it re-render when the state changes.
StateContext = ft.create_context(None)
