"""What the person does that changes something: the one way from a screen to saved data.

Views call these methods (through `Env.actions`); each one saves the choice in the user
database via the Runtime, updates the session's `AppState`, and changes the page's look
when needed. Network work runs in a background thread and reports through the state.
Views never touch SQL or HTTP.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Callable

import flet as ft

from app.content.errors import Reason
from app.content.sync_policy import DEFAULT_DATA_USE, DataUse
from app.failure_words import sync_words
from app.hidden_lock import HiddenLock
from app.i18n import _, supported
from app.state import AppState
from app.theme import apply_look
from app.views.common import ACTIONS_KEY

if TYPE_CHECKING:
    from app.background_updates import BackgroundUpdates, UpdateStatus
    from app.content.sync import Progress
    from app.runtime import Runtime
    from app.storage.user_store import UnlockResult

log = logging.getLogger(__name__)

SERVER_ENV = "SAFE_JOURNEY_SERVER"
IMPORTANT_NUMBERS_KEY = "important_numbers"
# Which checklist items the person ticked, per article: a plan to leave is personal.
CHECKLISTS_KEY = "checklists"
IMPORTANT_FIELDS = ("passport", "family_phone", "employer_address", "other")


def server_url() -> str | None:
    """Where content updates come from (set by `make run`): the repository on the server whose
    base address SAFE_JOURNEY_SERVER names (or the repository itself, the older form); None
    when updates are not set up. Help requests go to the same server (app/server_address.py)."""
    from app.server_address import repository_url

    configured = os.environ.get(SERVER_ENV)
    return repository_url(configured) if configured else None


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


# How long quick exit waits at most for the client to take an open dialog down.
DIALOG_CLOSE_WAIT_S = 1.0


# One session's actions: the page it draws on, its state, and the data it saves to.
@dataclass(frozen=True)
class Actions:
    page: ft.Page
    state: AppState
    runtime: Runtime
    updates: BackgroundUpdates | None = None  # the process's one update owner (app/background_updates.py)
    _unsubscribe: list[Callable[[], None]] = field(default_factory=list, repr=False)
    _cancel_pressed: threading.Event = field(default_factory=threading.Event, repr=False)
    hidden_lock: HiddenLock = field(default_factory=HiddenLock, repr=False)  # asks for the PIN after a while away

    @property
    def user(self):
        return self.runtime.user

    # Start of a session
    def start(self) -> None:
        """Load the saved choices into the state and dress the page (before the first render)."""
        user, state = self.runtime.user, self.state
        self.page.session.store.set(ACTIONS_KEY, self)  # the Exit of every dialog (app/views/common.py dialog)
        self._load_device_choices()
        state.set_lock_on(user.lock_on)
        state.lock()  # every session opens locked while the lock is on, even if another one is not
        if not state.locked:
            self._load_personal()
        # Follow first, then read: a repair or install that lands in between still reaches this session.
        self._follow_content()
        self._show_content()
        if user.setting("onboarded", False):
            state.finish_onboarding()
        self.page.title = _("Safe Journey")
        self._restyle(update=False)
        if self.updates is not None:
            self._show_update_status(self.updates.status)

    def _load_device_choices(self) -> None:
        """What the device key opens: readable before any PIN."""
        user, state = self.runtime.user, self.state
        state.set_language(supported(user.setting("language", "en")))
        state.set_country(user.setting("country"))
        state.set_text_step(user.setting("text_step", 0))
        state.set_high_contrast(user.setting("high_contrast", False))
        state.set_data_use(user.setting("data_use", DEFAULT_DATA_USE.value))

    def _load_personal(self) -> None:
        """What only the personal key opens: loaded once the app is unlocked (or has no lock)."""
        user, state = self.runtime.user, self.state
        state.set_origin(user.setting("origin"))
        state.set_role(user.setting("role"))
        state.set_bookmarks(user.bookmarks())
        state.set_ticked(user.setting(CHECKLISTS_KEY, {}))

    def _follow_content(self) -> None:
        """Show a newly installed or repaired version as soon as it is there, in every session."""
        def follow() -> None:
            self._unsubscribe.append(self.runtime.content.subscribe(self.content_changed))
            if self.updates is not None:
                self._unsubscribe.append(self.updates.subscribe(self.update_status_changed))
            self._follow_the_date()

        def stop(_event=None) -> None:
            while self._unsubscribe:
                self._unsubscribe.pop()()

        def again(_event=None) -> None:
            stop()
            follow()
            self.content_changed()

        follow()

        self.page.on_disconnect = stop
        self.page.on_close = stop
        self.page.on_connect = again
        self.page.on_app_lifecycle_state_change = self.app_hidden_or_shown

    def content_changed(self) -> None:
        """Called by the content's owner after an install or a repair (from any thread)."""

        def refresh() -> None:  # in the session's own context: its screens re-render
            self._show_content()
            self.page.update()

        self.page.run_thread(refresh)

    def _show_content(self) -> None:
        freshness = self.runtime.content_freshness()
        self.state.set_content(self.runtime.installed())
        self.state.set_freshness(freshness.verified_at, freshness.expires_at)
        self.state.set_storage_notices(self.runtime.notices)

    def _follow_the_date(self) -> None:
        """Notices end with their last day: just after midnight the screens read them again."""
        now = datetime.now()
        next_day = datetime.combine(now.date() + timedelta(days=1), datetime.min.time()) + timedelta(seconds=1)

        def new_day() -> None:
            def refresh() -> None:
                self.state.set_today(date.today())
                self.page.update()

            try:
                self.page.run_thread(refresh)
            except Exception:  # a session that is gone: nothing to refresh
                log.exception("a new day could not be shown")
                return
            self._follow_the_date()

        timer = threading.Timer((next_day - now).total_seconds(), new_day)
        timer.daemon = True
        timer.start()
        self._unsubscribe.append(timer.cancel)

    def update_status_changed(self, status: UpdateStatus) -> None:
        """Called by the update owner when a check starts or ends (from its thread)."""

        def refresh() -> None:
            self._show_update_status(status)
            self.page.update()

        self.page.run_thread(refresh)

    def _show_update_status(self, status: UpdateStatus) -> None:
        self.state.set_online(status.reached)
        self.state.set_checking(status.checking)

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
        if self.updates is not None:
            self.updates.settings_changed()

    # Saved things
    def toggle_bookmark(self, article_id: str) -> None:
        if article_id in self.state.bookmarks:
            self.user.remove_bookmark(article_id)
        else:
            self.user.add_bookmark(article_id)
        self.state.set_bookmarks(self.user.bookmarks())

    def tick(self, article_id: str, item_key: str) -> None:
        """Tick a checklist item, or untick it; remembered as a personal setting (sealed)."""
        ticked = dict(self.state.ticked)
        keys = set(ticked.get(article_id, [])) ^ {item_key}
        if keys:
            ticked[article_id] = sorted(keys)
        else:
            ticked.pop(article_id, None)
        self.user.set_setting(CHECKLISTS_KEY, ticked)
        self.state.set_ticked(ticked)

    def save_important_numbers(self, values: dict[str, str]) -> None:
        kept = {k: (values.get(k) or "").strip() for k in IMPORTANT_FIELDS}
        self.user.set_setting(IMPORTANT_NUMBERS_KEY, {k: v for k, v in kept.items() if v})

    def delete_everything(self) -> None:
        """Erase every saved thing and the keys; the session goes back to the first-launch questions."""
        from app.opening import CouldNotDelete

        page = self.page
        try:
            self.runtime.delete_everything()
        except CouldNotDelete:
            page.show_dialog(ft.SnackBar(ft.Text(_("Your data could not be deleted: the phone's storage "
                                                   "cannot be written.")), duration=6000))
            return
        page.navigate("/")
        self.state.start_again()
        self.state.set_storage_notices(self.runtime.notices)
        self._restyle()
        page.show_dialog(ft.SnackBar(ft.Text(_("Your data was deleted from this phone.")), duration=5000))

    # The app lock
    def unlock(self, pin: str) -> UnlockResult:
        """Try the PIN; on success the personal things are loaded and the app shown."""
        result = self.user.unlock(pin)
        if result.unlocked:
            self._load_personal()
            self.state.unlock()
        return result

    def set_pin(self, pin: str) -> str | None:
        """Turn the lock on with `pin`; the words of what went wrong, or None."""
        from app.storage.user_store import CannotKeepPin

        try:
            self.user.set_pin(pin)
        except CannotKeepPin:
            return _("The PIN could not be saved: the phone's storage cannot be written.")
        self.state.set_lock_on(True)
        return None

    def remove_pin(self) -> None:
        from app.storage.user_store import CannotKeepPin

        try:
            self.user.remove_pin()
        except CannotKeepPin:
            self.page.show_dialog(ft.SnackBar(ft.Text(
                _("The lock could not be turned off: the phone's storage cannot be written.")), duration=5000))
            return
        self.state.set_lock_on(False)
        self.page.show_dialog(ft.SnackBar(ft.Text(_("The app lock is off.")), duration=3000))

    def app_hidden_or_shown(self, event: ft.AppLifecycleStateChangeEvent) -> None:
        """Back from the background after a while, with the lock on: the PIN is asked again."""
        if event.state in (ft.AppLifecycleState.HIDE, ft.AppLifecycleState.PAUSE):
            self.hidden_lock.hidden()
        elif event.state is ft.AppLifecycleState.SHOW and self.hidden_lock.shown() and self.user.lock_on:
            self.user.forget_personal_key()
            self.state.lock()

    # Backup (app/storage/backup.py): a file the person keeps elsewhere
    def _file_picker(self) -> ft.FilePicker:
        for service in self.page.services:
            if isinstance(service, ft.FilePicker):
                return service
        picker = ft.FilePicker()
        self.page.services.append(picker)
        self.page.update()
        return picker

    async def save_backup(self, passphrase: str) -> str | None:
        """Make the backup and offer it as a file, then close the dialog; the words of what went
        wrong, or None (also when the person closed the file picker)."""
        from app.backup_words import exported_words, problem_words
        from app.storage.backup import BackupProblem, export_bytes

        try:
            made = export_bytes(self.user, passphrase)
        except BackupProblem as problem:
            return problem_words(problem)
        # A plain name: a downloads folder seen by someone else does not name the app.
        name = f"backup-{date.today():%Y%m%d}.sjb"
        saved = await self._file_picker().save_file(file_name=name, src_bytes=made.data)
        if saved is not None or self.page.web:  # in a browser it is a download (no answer)
            self.page.pop_dialog()  # the passphrase dialog
            words = exported_words(made.left_out)  # names the documents left out, if any
            self.page.show_dialog(ft.SnackBar(ft.Text(words), show_close_icon=bool(made.left_out),
                                              duration=30000 if made.left_out else 8000))
        return None

    async def restore_backup(self, passphrase: str) -> str | None:
        """Ask for the backup file, put its things in, then close the dialog; the words of what
        went wrong, or None (also when the person closed the file picker)."""
        from app.backup_words import problem_words, restored_words
        from app.storage.backup import BackupDamaged, BackupProblem, restore_bytes

        files = await self._file_picker().pick_files(with_data=True)
        if not files:
            return None
        try:
            restore_bytes(self.user, files[0].bytes or b"", passphrase)
        except BackupProblem as problem:
            return problem_words(problem)
        except (TypeError, ValueError):
            return problem_words(BackupDamaged())
        self._load_saved_choices()
        self.page.pop_dialog()  # the passphrase dialog
        self.page.show_dialog(ft.SnackBar(ft.Text(restored_words()), duration=5000))
        return None

    # The document safe (app/storage/documents.py)
    async def add_document(self) -> str | None:
        """Ask for a photo and seal it into the safe; the words of what went wrong, or None
        (also when the person closed the file picker). In a browser the picker reads the
        file and sends its bytes (with_data); nothing is uploaded to an address."""
        from app.document_words import problem_words
        from app.storage.documents import DocumentProblem

        files = await self._file_picker().pick_files(
            file_type=ft.FilePickerFileType.CUSTOM, allowed_extensions=["jpg", "jpeg", "png", "webp"], with_data=True)
        if not files:
            return None
        picked = files[0]
        try:
            added = self.user.documents.add(picked.name or "", picked.bytes or b"")
        except DocumentProblem as problem:
            return problem_words(problem)
        if added is None:  # the data was deleted meanwhile
            return None
        self.state.note_documents_changed()
        self.page.show_dialog(ft.SnackBar(ft.Text(_("The document was saved on this phone.")), duration=3000))
        return None

    def delete_document(self, document_id: str) -> None:
        from app.storage.documents import DocumentProblem

        try:
            self.user.documents.delete(document_id)
        except DocumentProblem:  # deleted meanwhile (another tab): gone either way
            pass
        self.state.note_documents_changed()
        self.page.show_dialog(ft.SnackBar(ft.Text(_("The document was deleted.")), duration=3000))

    def _load_saved_choices(self) -> None:
        """After a restore: every saved choice into this session, as at its start."""
        self._load_device_choices()
        self._load_personal()
        if self.user.setting("onboarded", False):
            self.state.finish_onboarding()
        self.page.title = _("Safe Journey")
        self._restyle()

    # Help requests
    def save_help_request(self, kind: str, values: dict) -> dict[str, str]:
        """Check, seal and keep a request; {} when saved, else the words for each field that
        is wrong (nothing is saved then). The background owner is asked to send it soon."""
        from app.help_requests.forms import FormRefused
        from app.help_requests.sealing import NoRequestKey
        from app.request_words import no_key_words, problem_words

        form = {name: value.strip() if isinstance(value, str) else value for name, value in values.items()}
        try:
            self.runtime.new_request(kind, form)
        except FormRefused as refused:
            return {name: problem_words(problem) for name, problem in refused.problems.items()}
        except NoRequestKey:
            return {"consent": no_key_words()}
        self.state.note_requests_changed()
        if self.updates is not None:
            self.updates.requests_waiting()
        return {}

    def cancel_help_request(self, row_id: str) -> bool:
        cancelled = self.user.outbox.cancel(row_id)
        self.state.note_requests_changed()
        return cancelled

    def withdraw_help_request(self, receipt: str) -> str:
        """Ask the server to withdraw a sent request; it erases what it holds. Blocks on the
        network (call it from a worker thread). "withdrawn"; "unreachable" when the server could
        not be reached (or refused); "no_proof" when an older app sent it and kept no proof, so
        only the Red Cross can withdraw it."""
        import httpx

        from app.requests_sync import NoProof, Retry, ServerUnreachable, UnknownReceipt, withdraw

        url = server_url()
        if url is None:
            return "unreachable"
        try:
            with httpx.Client(timeout=httpx.Timeout(15.0, connect=5.0), follow_redirects=False) as client:
                withdraw(self.user.outbox, client, url, receipt, retry=Retry(attempts=2))
        except NoProof:
            return "no_proof"
        except (ServerUnreachable, UnknownReceipt):
            return "unreachable"
        finally:
            self.state.note_requests_changed()
        return "withdrawn"

    # Quick exit
    def quick_exit(self) -> None:
        """Show the neutral screen at once, drop the screen stack and the app's title. With the
        lock on, the personal key is dropped from memory: opening the app again asks for the PIN.

        An open dialog (a PIN being typed, "Delete all my data?") is closed first: one whose
        screen stays under the neutral one (the lock screen's, at the same address) would stay
        on top of it, so the neutral screen comes once the client has taken the dialogs down
        (a fraction of a second; at most DIALOG_CLOSE_WAIT_S)."""
        self.page.title = _("Notes")
        self.user.forget_personal_key()
        self.state.lock()
        closed = []
        while (dialog := self.page.pop_dialog()) is not None:
            closed.append(dialog)
        if not closed:
            self._show_neutral_screen()
            return

        async def once_closed() -> None:
            deadline = time.monotonic() + DIALOG_CLOSE_WAIT_S
            while time.monotonic() < deadline and any(d.parent is not None and d in d.parent.controls for d in closed):
                await asyncio.sleep(0.02)
            self._show_neutral_screen()

        self.page.run_task(once_closed)

    def _show_neutral_screen(self) -> None:
        self.state.quick_exit()
        self.page.navigate("/")
        self.page.update()

    # Network
    def check_for_updates(self) -> None:
        """"Check for updates now": joins the check running in the background, or starts one."""
        if server_url() is None or self.updates is None:
            self.state.set_sync(busy=False, status=_("Updates are not set up in this version of the app."))
            return
        if self.state.sync_busy:
            return
        self._cancel_pressed.clear()
        self.state.set_sync(busy=True, status=_("Checking for new information…"))
        updates = self.updates

        def report(progress: Progress) -> None:
            if not self._cancel_pressed.is_set():  # a late report must not hide "you stopped the update"
                self.state.set_sync(busy=True, status=progress_text(progress))
                self.page.update()

        def work() -> None:
            try:
                result = updates.check_now(progress=report)
                if result.reason is Reason.cancelled:
                    message = _("You stopped the update. Your information is unchanged.")
                else:
                    message = sync_words(result)
                if result.clock_behind:  # a second sentence of its own, on its own line
                    message += "\n" + _("Your phone's date is behind. Set the correct date and time, "
                                         "so the app can tell you when its information is out of date.")
            except Exception:  # never leave the button spinning; the cause goes to the log
                log.exception("update check failed")
                message = _("The update could not be finished. Your information is safe. Try again later.")
            self._show_content()
            self.state.set_sync(busy=False, status=message)
            self.page.update()

        self.page.run_thread(work)

    def cancel_update(self) -> None:
        """The Cancel button: stop the running check at once (its socket is shut); the installed
        content stays as it was. An install already under way finishes: it is one swap."""
        if self.updates is not None and self.state.sync_busy:
            self._cancel_pressed.set()
            log.info("update cancelled by the person")
            self.updates.cancel_current()
