"""Country codes and names from Babel's CLDR data (never a hand-written table)."""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError

# CLDR lists these two-letter codes as territories, but they are groupings, not countries.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})


@cache
def _country_codes() -> frozenset[str]:
    territories = Locale("en").territories
    return frozenset(
        code for code in territories if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    )


def is_known_country(code: str) -> bool:
    return code in _country_codes()


def country_name(code: str, lang: str) -> str:
    """The country's name in `lang`, falling back to English, then to the code."""
    for candidate in (lang, "en"):
        try:
            name = Locale.parse(candidate).territories.get(code)
        except (UnknownLocaleError, ValueError):
            continue
        if name:
            return name
    return code


@cache
def _collator():
    from pyuca import Collator  # the Unicode Collation Algorithm's default order (DUCET)

    return Collator()


def alphabetical_key(name: str) -> tuple[int, ...]:
    """Sort key in alphabetical order for any script: Thai ignores a leading vowel sign
    (เกาหลีใต้ files under ก), Urdu's پ sits beside ب, not after every Arabic letter."""
    return _collator().sort_key(name.casefold())
