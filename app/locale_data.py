"""Locale data from Babel (CLDR): language and country names, dates, digits, text direction.

Nothing here is a hand-written table of names: CLDR knows every language's name in its
own script, country names in every language, number symbols and each locale's default
numbering system. The one table is the digits of the numbering systems our languages
use, because Babel ships their names but not their digits.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date

from app.i18n import DEFAULT_LANGUAGE, LANGUAGES

# Zero digit of each CLDR numbering system (numberingSystems.xml); the other nine follow it.
_ZERO_DIGIT = {
    "latn": "0",
    "arab": "\u0660",  # ٠ Arabic-Indic
    "arabext": "\u06f0",  # ۰ Extended Arabic-Indic (Persian, Urdu in India)
    "beng": "\u09e6",  # ০
    "deva": "\u0966",  # ०
    "khmr": "\u17e0",  # ០
    "mymr": "\u1040",  # ၀
    "tamldec": "\u0be6",  # ௦
    "thai": "\u0e50",  # ๐
}
LRI, PDI = "\u2066", "\u2069"  # left-to-right isolate, pop directional isolate


@cache
def babel_locale(lang: str) -> Locale:
    """The CLDR locale for an app language, with its most likely region (`ar` → `ar_EG`).

    The region decides the default numbering system: `ne_NP`, `bn_BD`, `my_MM` and `ar_EG`
    write numbers in their own digits; `hi_IN`, `th_TH` or `ur_PK` use 0–9.
    """
    try:
        likely = get_global("likely_subtags").get(lang, lang)
        return Locale.parse(likely)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT_LANGUAGE)


def language_name(lang: str) -> str:
    """A language's name in its own script: नेपाली, မြန်မာ, العربية."""
    name = Locale.parse(lang).get_display_name(lang) or lang
    return name[:1].upper() + name[1:]


def language_name_in(lang: str, reader: str) -> str:
    """A language's name in the reader's language ("अङ्ग्रेजी" for English, to a Nepali reader)."""
    name = Locale.parse(lang).get_display_name(babel_locale(reader)) or lang
    return name[:1].upper() + name[1:]


def language_choices() -> list[tuple[str, str]]:
    """(code, name in its own script) for every app language, in picker order."""
    return [(lang, language_name(lang)) for lang in LANGUAGES]


def country_name(code: str, lang: str) -> str:
    """A country's name in `lang` (`MY` in Nepali → मलेसिया); the code itself if CLDR lacks it."""
    return babel_locale(lang).territories.get(code.upper()) or code.upper()


def numbering_system(lang: str) -> str:
    """The digits `lang` normally writes numbers with (CLDR default numbering system)."""
    system = babel_locale(lang).default_numbering_system
    return system if system in _ZERO_DIGIT else "latn"


def native_digits(text: str, lang: str) -> str:
    """Replace ASCII digits in `text` with the digits of `lang`'s numbering system."""
    zero = _ZERO_DIGIT[numbering_system(lang)]
    if zero == "0":
        return text
    return text.translate({ord("0") + i: chr(ord(zero) + i) for i in range(10)})


def long_date(value: date | datetime, lang: str) -> str:
    """A date written out as `lang` writes it, in the locale's own digits where CLDR's default
    numbering system has them: २०२६ नोभेम्बर २३ in Nepali, ٢٣ نوفمبر ٢٠٢٦ in Arabic, 23 नवंबर 2026 in Hindi."""
    return native_digits(format_date(value, format="long", locale=babel_locale(lang)), lang)


def is_rtl(lang: str) -> bool:
    """Whether `lang` is written right to left (Arabic, Urdu), from CLDR."""
    return babel_locale(lang).text_direction == "rtl"


def format_phone_for_display(e164_or_short: str) -> str:
    """A phone number to show, kept left to right inside right-to-left text.

    International numbers (`+60312345678`) are grouped the way the country writes them
    (`+60 3-1234 5678`); short codes (`999`) stay as they are. The number is wrapped in a
    left-to-right isolate, so in Arabic or Urdu it reads `+60 3-1234 5678`, not reversed,
    and its digits stay 0–9 — the digits a phone dials.
    """
    number = (e164_or_short or "").strip()
    if number.startswith("+"):
        import phonenumbers

        try:
            parsed = phonenumbers.parse(number, None)
            if phonenumbers.is_possible_number(parsed):
                number = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        except phonenumbers.NumberParseException:
            pass
    return f"{LRI}{number}{PDI}" if number else ""
