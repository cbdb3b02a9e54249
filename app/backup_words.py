"""The words a person reads about a backup (UI side only): one table, one entry per outcome.

The storage domain says what happened as a type (app/storage/backup.py); this turns it
into a sentence. Every problem type has words: a test checks it.
"""

from __future__ import annotations

from app.i18n import _
from app.storage.documents import MAX_DOCUMENTS, MAX_TOTAL_BYTES
from app.storage.backup import (
    MAX_BACKUP_DOCUMENT_BYTES,
    MIN_PASSPHRASE_CHARS,
    BackupDamaged,
    BackupLocked,
    BackupProblem,
    BackupTooNew,
    BackupWontFit,
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
        # Translators: {count} is the most documents the safe holds, {max_mb} the most megabytes.
        BackupWontFit: _("The documents in this backup do not fit in this phone's safe (at most {count} documents, "
                         "{max_mb} MB). Delete some documents, then try again. Nothing was changed.").format(
            count=MAX_DOCUMENTS, max_mb=MAX_TOTAL_BYTES // (1024 * 1024)),
    }
    return words.get(type(problem), words[BackupDamaged])


def exported_words(left_out: list[str]) -> str:
    saved = _("Your backup was saved. Keep the passphrase somewhere apart from the file: "
              "without it, nobody can open the backup, not even you.")
    if not left_out:
        return saved
    # Translators: {max_mb} is a number of megabytes; {names} the names of the documents, separated by commas.
    return saved + "\n" + _("A backup holds at most {max_mb} MB of documents, the newest first. "
                            "These documents are not in it: {names}").format(
        max_mb=MAX_BACKUP_DOCUMENT_BYTES // (1024 * 1024), names=", ".join(left_out))


def restored_words() -> str:
    return _("Your saved things were restored from the backup.")
