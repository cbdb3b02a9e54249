"""The content domain's own errors. `message` is safe to show a user; `detail` is for logs."""

from __future__ import annotations

from app.i18n import _


class ContentError(ValueError):
    """Content that breaks a rule of the model (bad number, missing source, dangling link)."""


class BundleError(Exception):
    """A bundle that cannot be trusted or read; nothing was installed."""

    def __init__(self, detail: str, message: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.message = message or _(
            "This content package is damaged or not from the Red Cross, so it was not installed. "
            "The information you already have is safe and still works."
        )
