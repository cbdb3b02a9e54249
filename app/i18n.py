"""Translation of user-visible strings, per app session (gettext catalogs from translations/).

Each browser tab or phone app is its own Flet session with its own language, so `_()`
looks up the language of the session it runs in. The choice is kept in the session's own
store, so it goes when Flet drops the session (and survives a reconnect until then).
Outside a session (command line, tests, errors raised before the UI exists) it uses the
process default.
"""

from __future__ import annotations

import gettext as _gettext
import io
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import flet as ft

from app.storage.paths import TRANSLATIONS_DIR

if TYPE_CHECKING:
    from flet.messaging.session_store import SessionStore

DEFAULT_LANGUAGE = "en"
# Languages the app is translated into, in the order the language picker lists them.
LANGUAGES: tuple[str, ...] = (
    "en", "ne", "bn", "hi", "ur", "si", "ta", "id", "fil", "my", "km", "vi", "th", "ms", "ar",
)
_default_language = DEFAULT_LANGUAGE
_SESSION_KEY = "app.i18n.language"  # key in the Flet session's store


@cache
def catalog(lang: str) -> _gettext.NullTranslations:
    """The compiled catalog of `lang` (translations/<lang>/LC_MESSAGES/messages.mo).

    `make translations` compiles the .mo files; if one is missing or older than its .po
    (a fresh checkout, a .po just edited), the .po is compiled in memory instead.
    """
    po = TRANSLATIONS_DIR / lang / "LC_MESSAGES" / "messages.po"
    mo = po.with_suffix(".mo")
    if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
        return _compile_in_memory(po, lang)
    return _gettext.translation("messages", localedir=str(TRANSLATIONS_DIR), languages=[lang], fallback=True)


def _compile_in_memory(po: Path, lang: str) -> _gettext.NullTranslations:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        messages = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, messages, use_fuzzy=False)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def _session_store() -> SessionStore | None:
    """The store of the Flet session this code runs in; None outside a session."""
    try:
        return ft.context.page.session.store
    except (RuntimeError, AttributeError):
        return None


def supported(lang: str | None) -> str:
    """`lang` if the app has it (`ne_NP` counts as `ne`), else the default language."""
    code = (lang or "").replace("-", "_").split("_")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def set_language(lang: str) -> None:
    """Switch `_()` to `lang` for the current session (or the process, outside one)."""
    global _default_language
    store = _session_store()
    if store is None:
        _default_language = lang
    else:
        store.set(_SESSION_KEY, lang)


def current_language() -> str:
    store = _session_store()
    return (store.get(_SESSION_KEY) if store is not None else None) or _default_language


def _(message: str) -> str:
    return catalog(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return catalog(current_language()).ngettext(singular, plural, n)
