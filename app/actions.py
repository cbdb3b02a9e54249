"""What the person does that changes something: the one way from a screen to saved data.

Views call these methods (through `Env.actions`); each one saves the choice in the user
database via the Runtime, updates the session's `AppState`, and changes the page's look
when needed. Network work runs in a background thread and reports through the state.
Views never touch SQL or HTTP.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

import flet as ft

from app.content.sync_policy import DEFAULT_DATA_USE, DataUse, Network, may_sync
from app.failure_words import sync_words
from app.i18n import _, supported
from app.state import AppState
from app.theme import apply_look

if TYPE_CHECKING:
    import httpx

    from app.content.sync import Progress
    from app.runtime import Runtime

log = logging.getLogger(__name__)

SERVER_ENV = "SAFE_JOURNEY_SERVER"
IMPORTANT_NUMBERS_KEY = "important_numbers"
IMPORTANT_FIELDS = ("passport", "family_phone", "employer_address", "other")


def server_url() -> str | None:
    """Where content updates come from (set by `make run`); None when updates are not set up."""
    return os.environ.get(SERVER_ENV) or None


def http_client() -> httpx.Client:
    import httpx  # only when the network is used: keeps the first screen fast

    return httpx.Client(timeout=httpx.Timeout(20.0, connect=5.0), follow_redirects=False)


def progress_text(progress: Progress) -> str:
    kilobytes = max(0, progress.bytes_downloaded) // 1024
    if progress.stage == "checking":
        return _("Checking for new information…")
    if progress.stage == "downloading":
        # Translators: {kb} is the amount of data downloaded so far, in kilobytes.
        return _("Downloading… {kb} KB").format(kb=kilobytes)
    if progress.stage == "installing":
        # Translators: {kb} is the amount of data downloaded, in kilobytes.
        return _("Installing… {kb} KB downloaded").format(kb=kilobytes)
    return progress.stage


# One session's actions: the page it draws on, its state, and the data it saves to.
@dataclass(frozen=True)
class Actions:
    page: ft.Page
    state: AppState
    runtime: Runtime
    _unsubscribe: list[Callable[[], None]] = field(default_factory=list, repr=False)

    @property
    def user(self):
        return self.runtime.user

    # Start of a session
    def start(self) -> None:
        """Load the saved choices into the state and dress the page (before the first render)."""
        user, state = self.runtime.user, self.state
        state.set_language(supported(user.setting("language", "en")))
        state.set_country(user.setting("country"))
        state.set_origin(user.setting("origin"))
        state.set_role(user.setting("role"))
        state.set_text_step(user.setting("text_step", 0))
        state.set_high_contrast(user.setting("high_contrast", False))
        state.set_data_use(user.setting("data_use", DEFAULT_DATA_USE.value))
        state.set_bookmarks(user.bookmarks())
        state.set_content(self.runtime.installed())
        state.set_storage_notices(self.runtime.notices)
        if user.setting("onboarded", False):
            state.finish_onboarding()
        self.page.title = _("Safe Journey")
        self._restyle(update=False)
        self._follow_content()
        self.check_online()

    def _follow_content(self) -> None:
        """Show a newly installed or repaired version as soon as it is there, in every session."""
        self._unsubscribe.append(self.runtime.content.subscribe(self.content_changed))

        def stop(_event=None) -> None:
            while self._unsubscribe:
                self._unsubscribe.pop()()

        def again(_event=None) -> None:
            stop()
            self._unsubscribe.append(self.runtime.content.subscribe(self.content_changed))
            self.content_changed()

        self.page.on_disconnect = stop
        self.page.on_close = stop
        self.page.on_connect = again

    def content_changed(self) -> None:
        """Called by the content's owner after an install or a repair (from any thread)."""

        def refresh() -> None:  # in the session's own context: its screens re-render
            self.state.set_content(self.runtime.installed())
            self.state.set_storage_notices(self.runtime.notices)
            self.page.update()

        self.page.run_thread(refresh)

    def _restyle(self, update: bool = True) -> None:
        s = self.state
        apply_look(self.page, lang=s.lang, scale=s.text_scale, high_contrast=s.high_contrast, update=update)

    # First launch and Settings
    def choose_language(self, lang: str) -> None:
        lang = supported(lang)
        self.user.set_setting("language", lang)
        self.state.set_language(lang)
        self.page.title = _("Safe Journey")
        self._restyle()

    def choose_country(self, country: str | None) -> None:
        self.user.set_setting("country", country)
        self.state.set_country(country)

    def choose_origin(self, country: str | None) -> None:
        self.user.set_setting("origin", country)
        self.state.set_origin(country)

    def choose_role(self, role: str) -> None:
        self.user.set_setting("role", role)
        self.state.set_role(role)

    def finish_onboarding(self) -> None:
        self.user.set_setting("onboarded", True)
        self.state.finish_onboarding()

    def choose_text_step(self, step: int) -> None:
        self.state.set_text_step(step)
        self.user.set_setting("text_step", self.state.text_step)
        self._restyle()

    def choose_high_contrast(self, on: bool) -> None:
        self.state.set_high_contrast(on)
        self.user.set_setting("high_contrast", self.state.high_contrast)
        self._restyle()

    def choose_data_use(self, value: str) -> None:
        value = DataUse(value).value
        self.user.set_setting("data_use", value)
        self.state.set_data_use(value)

    # Saved things
    def toggle_bookmark(self, article_id: str) -> None:
        if article_id in self.state.bookmarks:
            self.user.remove_bookmark(article_id)
        else:
            self.user.add_bookmark(article_id)
        self.state.set_bookmarks(self.user.bookmarks())

    def save_important_numbers(self, values: dict[str, str]) -> None:
        kept = {k: (values.get(k) or "").strip() for k in IMPORTANT_FIELDS}
        self.user.set_setting(IMPORTANT_NUMBERS_KEY, {k: v for k, v in kept.items() if v})

    # Quick exit
    def quick_exit(self) -> None:
        """Show the neutral screen at once, drop the screen stack and the app's title."""
        self.page.title = _("Notes")
        self.state.quick_exit()
        self.page.navigate("/")

    # Network
    def check_online(self) -> None:
        """Ask the sync server, in the background, whether it answers (never when updates are off)."""
        url = server_url()
        if not url or not may_sync(self.state.data_use, Network.unknown, manual=False):
            return

        def ping() -> None:
            try:
                with http_client() as client:
                    self.state.set_online(self.runtime.server_answers(client, url))
                self.page.update()
            except Exception:  # a closed session or a broken client: log it, the app goes on
                log.exception("online check failed")

        self.page.run_thread(ping)

    def check_for_updates(self) -> None:
        """"Check for updates now": sync in a background thread, reporting stage and bytes."""
        url = server_url()
        if not url:
            self.state.set_sync(busy=False, status=_("Updates are not set up in this version of the app."))
            return
        if self.state.sync_busy:
            return
        self.state.set_sync(busy=True, status=_("Checking for new information…"))

        def report(progress: Progress) -> None:
            self.state.set_sync(busy=True, status=progress_text(progress))
            self.page.update()

        def work() -> None:
            try:
                with http_client() as client:
                    result = self.runtime.sync_now(client, url, manual=True, progress=report)
                self.state.set_online(result.status in ("updated", "up_to_date"))
                self.state.set_content(self.runtime.installed())
                message = sync_words(result)
            except Exception:  # never leave the button spinning; the cause goes to the log
                log.exception("update check failed")
                self.state.set_online(False)
                message = _("The update could not be finished. Your information is safe. Try again later.")
            self.state.set_sync(busy=False, status=message)
            self.page.update()

        self.page.run_thread(work)
