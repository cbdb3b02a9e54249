"""Why the content store refused something: one type per reason, the pages pick the words."""

from __future__ import annotations


class EditRefused(ValueError):
    """The item (or the set it would make) breaks a content rule; `field` names where."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class NotAllowed(PermissionError):
    """Not this staff member's country, language or role."""


class FourEyes(PermissionError):
    """A change is approved by a second person, never by its author."""


class StaleChange(Exception):
    """The item moved on since the draft's base version: the draft must be made again."""


class NoSuchChange(LookupError):
    """No pending change has this id (never made, or already approved or rejected)."""


class StoreNotEmpty(Exception):
    """`content import` loads only into an empty store: it never overwrites staff edits."""
