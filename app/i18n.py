"""Translation of user-visible strings (gettext catalogs compiled from translations/)."""

from __future__ import annotations

import gettext as _gettext

from app.storage.paths import TRANSLATIONS_DIR

_current = _gettext.NullTranslations()
_current_language = "en"


def set_language(lang: str) -> None:
    """Switch every later `_()` call to `lang`; missing catalogs fall back to English."""
    global _current, _current_language
    _current = _gettext.translation(
        "messages", localedir=str(TRANSLATIONS_DIR), languages=[lang], fallback=True
    )
    _current_language = lang


def current_language() -> str:
    return _current_language


def _(message: str) -> str:
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)
