"""Translation of user-visible strings, per app session (gettext catalogs from translations/).

Each browser tab or phone app is its own Flet session with its own language, so `_()`
looks up the language of the session it runs in. Outside a session (command line,
tests, errors raised before the UI exists) it uses the process default.
"""

from __future__ import annotations

import gettext as _gettext
from functools import cache

import flet as ft

from app.storage.paths import TRANSLATIONS_DIR

DEFAULT_LANGUAGE = "en"
_default_language = DEFAULT_LANGUAGE
_session_languages: dict[str, str] = {}


@cache
def catalog(lang: str) -> _gettext.NullTranslations:
    return _gettext.translation("messages", localedir=str(TRANSLATIONS_DIR), languages=[lang], fallback=True)


def _session_id() -> str | None:
    try:
        return ft.context.page.session.id
    except (RuntimeError, AttributeError):
        return None


def set_language(lang: str) -> None:
    """Switch `_()` to `lang` for the current session (or the process, outside one)."""
    global _default_language
    session = _session_id()
    if session is None:
        _default_language = lang
    else:
        _session_languages[session] = lang


def forget_session() -> None:
    """Drop the current session's choice when it disconnects."""
    session = _session_id()
    if session is not None:
        _session_languages.pop(session, None)


def current_language() -> str:
    session = _session_id()
    return _session_languages.get(session, _default_language) if session else _default_language


def _(message: str) -> str:
    return catalog(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return catalog(current_language()).ngettext(singular, plural, n)
