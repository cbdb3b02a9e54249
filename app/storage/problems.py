"""What went wrong with the phone's storage, as codes; the UI picks the words."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class StorageProblem(StrEnum):
    content_rebuilt = "content_rebuilt"  # content.db unreadable at start: rebuilt from the embedded bundle
    content_repaired = "content_repaired"  # the check after start found changed or damaged rows: repaired
    settings_lost = "settings_lost"  # user.db damaged: its settings could not be read
    bookmarks_lost = "bookmarks_lost"
    important_numbers_lost = "important_numbers_lost"
    keys_lost = "keys_lost"  # user.db is sealed but its keys are missing or damaged: left as it is
    cannot_save = "cannot_save"  # storage read-only or full: user data kept in memory only
    phone_full = "phone_full"  # not enough room to install the content: `megabytes` needed


# Problems with the person's own data: none of them is true after "Delete all my data".
USER_DATA_PROBLEMS = frozenset({StorageProblem.settings_lost, StorageProblem.bookmarks_lost,
                                StorageProblem.important_numbers_lost, StorageProblem.keys_lost})


@dataclass(frozen=True)
class StorageNotice:
    problem: StorageProblem
    megabytes: int | None = None  # phone_full: the free space the app needs
