"""The words a person reads for each outcome of a content update (UI side only).

The content domain says what happened as a code (app.content.errors.Reason); this is the
one table that turns a code into a sentence. Every reason has words: a test checks it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.content.errors import Reason
from app.i18n import _

if TYPE_CHECKING:  # the sync module loads TUF: not at start-up (tests/test_startup_imports.py)
    from app.content.sync import SyncResult

_SAFE_TRY_LATER = Reason.unreachable  # the words for anything unexpected


def _words() -> dict[Reason, str]:
    # Built on each call: _() answers in the language of the session asking.
    return {
        Reason.updated: _("New information was installed."),
        Reason.up_to_date: _("Your information is up to date."),
        Reason.updates_off: _("Updates are off for this network. Your information is safe."),
        Reason.unreachable: _("The connection is too weak or keeps dropping. Your information is safe. Try again later."),
        Reason.too_slow: _("The connection is too slow to finish the update. Your information is safe. "
                           "Try again later, or on Wi-Fi."),
        Reason.captive_portal: _("This network sent a web page instead of the update. If the Wi-Fi asks you to log in, "
                                 "do that first, then try again. Your information is safe."),
        Reason.mangled: _("Part of the update arrived damaged, probably because of a weak connection. "
                          "Your information is safe. Try again later."),
        Reason.server_refused: _("The update server refused the request."),
        Reason.cancelled: _("The update was stopped."),
        Reason.refused: _("The update did not pass the safety check, so it was not installed. "
                          "Your information is unchanged."),
        Reason.expired: _("The update is out of date, so it was not used. Your information is unchanged. "
                          "It may be a fault or an attack; try again later on another network."),
        Reason.clock_skew: _("Your phone's date or time looks wrong, so the update could not be checked. "
                             "Set the correct date and time, then try again. Your information is safe."),
        Reason.needs_newer_app: _("This update needs a newer version of the app. Your information is safe and still works."),
        Reason.busy: _("Another update ran at the same time. Try again."),
        Reason.install_failed: _("The update could not be installed. Your information is unchanged. Try again later."),
        Reason.bundle_damaged: _("The information built into the app is damaged, so it could not be opened. "
                                 "Please reinstall the app."),
        Reason.trust_file_missing: _("The app is missing a file it needs to check its content. Please reinstall the app."),
    }


def reason_words(reason: Reason, *, needed_bytes: int = 0) -> str:
    """The sentence for `reason`, in the current language."""
    if reason == Reason.no_space:
        megabytes = max(1, round(needed_bytes / 1_000_000))
        return _("Your phone is almost full. The update needs about {megabytes} MB. "
                 "Free some space and try again. Your information is safe.").format(megabytes=megabytes)
    words = _words()
    return words.get(reason, words[_SAFE_TRY_LATER])


def sync_words(result: SyncResult) -> str:
    return reason_words(result.reason, needed_bytes=result.needed_bytes)
