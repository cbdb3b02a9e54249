"""The words a person reads about a backup (UI side only): one table, one entry per outcome.

The storage domain says what happened as a type (app/storage/backup.py); this turns it
into a sentence. Every problem type has words: a test checks it.
"""

from __future__ import annotations

from app.i18n import _
from app.storage.backup import (
    MIN_PASSPHRASE_CHARS,
    BackupDamaged,
    BackupLocked,
    BackupProblem,
    BackupTooNew,
    CannotSaveBackup,
    PassphraseTooShort,
    WrongPassphrase,
)


def problem_words(problem: BackupProblem) -> str:
    # Built on each call: _() answers in the language of the session asking.
    words = {
        WrongPassphrase: _("That passphrase does not open this backup. Nothing was changed. Check it and try again."),
        BackupDamaged: _("This file is not a Safe Journey backup, or it was damaged. Nothing was changed."),
        BackupTooNew: _("This backup was made by a newer version of the app. Update the app, then try again. "
                        "Nothing was changed."),
        # Translators: {count} is the smallest number of letters, digits or signs a passphrase may have.
        PassphraseTooShort: _("Choose a passphrase of at least {count} characters.").format(count=MIN_PASSPHRASE_CHARS),
        BackupLocked: _("Unlock the app with your PIN first."),
        CannotSaveBackup: _("The phone's storage cannot be written. Nothing was changed."),
    }
    return words.get(type(problem), words[BackupDamaged])


def exported_words() -> str:
    return _("Your backup was saved. Keep the passphrase somewhere apart from the file: "
             "without it, nobody can open the backup, not even you.")


def restored_words() -> str:
    return _("Your saved things were restored from the backup.")
