"""The content domain's outcomes and failures, as codes and types.

The domain never picks words: it says *what* happened (`Reason`) and keeps the technical
`detail` for logs. The UI turns a reason into a sentence (app/failure_words.py).
"""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """Why a sync (or the first-run install) ended the way it did."""

    # It worked, or there was nothing to do.
    updated = "updated"
    up_to_date = "up_to_date"
    updates_off = "updates_off"
    # The network.
    unreachable = "unreachable"  # no connection, dropped again and again, server errors
    too_slow = "too_slow"  # below the minimum transfer rate, or past the time a sync may take
    captive_portal = "captive_portal"  # a Wi-Fi login page answered instead of the server
    mangled = "mangled"  # a file arrived garbled (it does not even parse)
    server_refused = "server_refused"  # the server said no, or does not have a file it named
    cancelled = "cancelled"
    # The repository's signed promises.
    refused = "refused"  # a signature, hash, length or version check failed
    expired = "expired"  # metadata past its signed expiry: a frozen or stale server
    clock_skew = "clock_skew"  # expired only because the phone's clock is wrong
    needs_newer_app = "needs_newer_app"  # a bundle format this app cannot read
    # The phone.
    no_space = "no_space"
    busy = "busy"  # another install ran at the same time
    install_failed = "install_failed"
    # The bundle inside the app (first run).
    bundle_damaged = "bundle_damaged"
    trust_file_missing = "trust_file_missing"


# The coarse status `python -m app sync --json` prints (scripts rely on these words).
_STATUS = {
    Reason.updated: "updated",
    Reason.up_to_date: "up_to_date",
    Reason.updates_off: "skipped",
    Reason.refused: "refused",
    Reason.expired: "refused",
    Reason.needs_newer_app: "refused",
    Reason.no_space: "no_space",
}


def status_of(reason: Reason) -> str:
    return _STATUS.get(reason, "failed")


class ContentError(ValueError):
    """Content that breaks a rule of the model (bad number, missing source, dangling link)."""


class SyncFailure(Exception):
    """A sync stopped for `reason`; `detail` says why, for logs (never personal data)."""

    reason: Reason = Reason.unreachable

    def __init__(self, detail: str, reason: Reason | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if reason is not None:
            self.reason = reason


class BundleError(SyncFailure):
    """The bundle inside the app cannot be trusted or read; nothing was installed."""

    reason = Reason.bundle_damaged
