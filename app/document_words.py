"""The words a person reads about the document safe (UI side only): one table, one entry per outcome.

The storage domain says what happened as a type (app/storage/documents.py); this turns it
into a sentence. Every problem type has words: a test checks it.
"""

from __future__ import annotations

from app.i18n import _
from app.storage.documents import (
    MAX_DOCUMENT_BYTES,
    MAX_DOCUMENTS,
    MAX_TOTAL_BYTES,
    DocumentDamaged,
    DocumentMissing,
    DocumentProblem,
    DocumentsLocked,
    DocumentTooBig,
    NoRoom,
    NotAPhoto,
    SafeFull,
)

_MB = 1024 * 1024


def megabytes(size: int) -> str:
    """A size in MB with one decimal, e.g. 2.4; a small photo shows as 0.1, never as 0.0."""
    return f"{max(size / _MB, 0.1) if size else 0:.1f}"


def problem_words(problem: DocumentProblem) -> str:
    # Built on each call: _() answers in the language of the session asking.
    words = {
        # Translators: {mb} is the largest size of one photo, in megabytes (MB).
        DocumentTooBig: _("This photo is too big. A photo can be at most {mb} MB. Nothing was saved.").format(
            mb=MAX_DOCUMENT_BYTES // _MB),
        # Translators: {count} is how many documents the safe holds at most; {mb} is their largest total size in MB.
        SafeFull: _("Your documents are full: at most {count} photos and {mb} MB in all. Delete one, then try "
                    "again. Nothing was saved.").format(count=MAX_DOCUMENTS, mb=MAX_TOTAL_BYTES // _MB),
        NoRoom: _("The phone's storage is full or cannot be written. Nothing was saved."),
        NotAPhoto: _("Choose a photo (JPEG, PNG or WebP). Take a photo of a paper document with your camera "
                     "first. Nothing was saved."),
        DocumentsLocked: _("Unlock the app with your PIN first."),
        DocumentMissing: _("This document is no longer on this phone."),
        DocumentDamaged: _("This document cannot be opened: it was damaged, or saved with other keys. "
                           "Your other documents are not affected."),
    }
    return words.get(type(problem), words[DocumentDamaged])


def damaged_words(problem: DocumentDamaged) -> str:
    """Names the document when its description still opens."""
    if problem.name:
        # Translators: {name} is the file name of a photo the person saved, e.g. passport.jpg.
        return _("“{name}” cannot be opened: it was damaged, or saved with other keys. "
                 "Your other documents are not affected.").format(name=problem.name)
    return problem_words(problem)
