"""UI state of one app session: one observable dataclass, mutated only by its methods.

Components that read it (as an argument or through `StateContext`) re-render when a
field changes. Content itself is not kept here: screens get it from route loaders (see
app/ui.py). Choices that must outlive the session are saved by app/actions.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import flet as ft

from app.content.dto import InstalledContent
from app.storage.problems import StorageNotice
from app.i18n import set_language

PAGE_SIZE = 20  # rows shown per "Show more" step; Flet serialises every control it is given
# Text size steps: a factor every text size is multiplied by (Settings > Text size).
TEXT_SCALES: tuple[float, ...] = (1.0, 1.2, 1.4, 1.65)
ROLES: tuple[str, ...] = ("planning", "abroad", "family")  # "I am…" on the first screen


# What the person has chosen and where they are in the app.
@ft.observable
@dataclass
class AppState:
    lang: str = "en"
    country: str | None = None  # where the person is or is going; picks the contacts shown
    origin: str | None = None  # the person's country of origin
    role: str | None = None  # planning | abroad | family
    onboarded: bool = False  # the first-launch choices were made
    text_step: int = 0  # index into TEXT_SCALES
    high_contrast: bool = False
    data_use: str = "wifi_only"
    bookmarks: list[str] = field(default_factory=list)
    ticked: dict[str, list[str]] = field(default_factory=dict)  # article id → keys of its ticked checklist items
    content: InstalledContent | None = None  # the installed content version, for the status line
    verified_at: datetime | None = None  # when the update server last vouched for it (signed time)
    expires_at: datetime | None = None  # its signed expiry: past it, the status line says "may be out of date"
    today: date = field(default_factory=date.today)  # notices end at midnight: a new day re-reads the screens
    storage_notices: tuple[StorageNotice, ...] = ()  # what went wrong with the phone's storage
    online: bool | None = None  # None: not checked yet; True: the sync server answered recently
    checking: bool = False  # the background owner is checking for updates now
    sync_busy: bool = False
    sync_status: str = ""  # progress, then the result's message
    exited: bool = False  # quick exit: the app shows a neutral screen until it is opened again
    lock_on: bool = False  # the app lock (a PIN) is set
    locked: bool = False  # the lock is on and this session has not been given the PIN
    query: str = ""
    requests_changed: int = 0  # bumped when a help request is saved or cancelled: "My requests" reloads
    documents_changed: int = 0  # bumped when a document is added or deleted: "My documents" reloads
    result_limit: int = PAGE_SIZE

    @property
    def text_scale(self) -> float:
        return TEXT_SCALES[self.text_step]

    def set_language(self, lang: str) -> None:
        set_language(lang)
        self.lang = lang

    def set_country(self, country: str | None) -> None:
        self.country = country.upper() if country else None

    def set_origin(self, country: str | None) -> None:
        self.origin = country.upper() if country else None

    def set_role(self, role: str | None) -> None:
        self.role = role if role in ROLES else None

    def finish_onboarding(self) -> None:
        self.onboarded = True

    def set_text_step(self, step: int) -> None:
        self.text_step = max(0, min(int(step), len(TEXT_SCALES) - 1))

    def set_high_contrast(self, on: bool) -> None:
        self.high_contrast = bool(on)

    def set_data_use(self, value: str) -> None:
        self.data_use = value

    def set_bookmarks(self, article_ids: list[str]) -> None:
        self.bookmarks = list(article_ids)

    def set_ticked(self, ticked: dict[str, list[str]]) -> None:
        self.ticked = {article: list(keys) for article, keys in ticked.items()}

    def set_content(self, content: InstalledContent | None) -> None:
        self.content = content

    def set_freshness(self, verified_at: datetime | None, expires_at: datetime | None) -> None:
        self.verified_at, self.expires_at = verified_at, expires_at

    def set_today(self, today: date) -> None:
        self.today = today

    def out_of_date(self, now: datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at

    def set_storage_notices(self, notices) -> None:
        self.storage_notices = tuple(notices)

    def set_online(self, online: bool | None) -> None:
        self.online = online

    def set_checking(self, checking: bool) -> None:
        self.checking = checking

    def set_sync(self, *, busy: bool, status: str) -> None:
        self.sync_busy = busy
        self.sync_status = status

    def start_again(self) -> None:
        """After "Delete all my data": every choice back to its first-launch value. The words
        stay in the language on screen until the person picks one again."""
        fresh = AppState(lang=self.lang, content=self.content, online=self.online)
        for name in ("country", "origin", "role", "onboarded", "text_step", "high_contrast", "data_use",
                     "bookmarks", "ticked", "exited", "query", "result_limit", "lock_on", "locked"):
            setattr(self, name, getattr(fresh, name))

    def set_lock_on(self, on: bool) -> None:
        self.lock_on = bool(on)

    def lock(self) -> None:
        self.locked = self.lock_on

    def unlock(self) -> None:
        self.locked = False

    def quick_exit(self) -> None:
        self.exited = True
        self.query = ""

    def set_query(self, query: str) -> None:
        query = " ".join(query.split())
        if query != self.query:
            self.result_limit = PAGE_SIZE
        self.query = query

    def note_requests_changed(self) -> None:
        self.requests_changed += 1

    def note_documents_changed(self) -> None:
        self.documents_changed += 1

    def show_more_results(self) -> None:
        self.result_limit += PAGE_SIZE

    def countries(self) -> list[str]:
        """The person's countries, where they are first."""
        return [c for c in dict.fromkeys([self.country, self.origin]) if c]


# Reactive: components reading it re-render when the state changes.
StateContext = ft.create_context(None)
