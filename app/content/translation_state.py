"""How far one article text in another language can be trusted: the one rule the phone's
article note and the staff translation queue both use.

- missing: there is no text in that language (the phone shows English);
- stale: the English text changed after this translation was written (its `updated_at` is
  newer), whether or not a reviewer had checked the old one;
- machine: written by a machine (or a person) and not yet checked by a reviewer;
- reviewed: a reviewer checked it and the English has not changed since.

The English text itself has no state: it is what the others are measured against.
"""

from __future__ import annotations

from datetime import datetime, timezone
from enum import StrEnum


class TranslationState(StrEnum):
    missing = "missing"
    stale = "stale"
    machine = "machine"
    reviewed = "reviewed"


def _utc(moment: datetime | str) -> datetime:
    """Items carry ISO strings with an offset; SQLite gives the same moment back without one."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def translation_state(*, english_updated_at: datetime | str, reviewed: bool | None,
                      updated_at: datetime | str | None) -> TranslationState:
    """The state of a translation written at `updated_at` (None: there is none)."""
    if updated_at is None or reviewed is None:
        return TranslationState.missing
    if _utc(english_updated_at) > _utc(updated_at):
        return TranslationState.stale
    return TranslationState.reviewed if reviewed else TranslationState.machine

