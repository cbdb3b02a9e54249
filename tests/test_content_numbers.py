"""Every number and link of an English article is in each of its translations, unchanged.

Links, e-mail addresses, phone numbers written with "+" or separators (03-8000 8000) and the short
numbers of the article's countries' contacts (999, 15999) must be there byte for byte, in ASCII
digits, so a reader can dial or type them as shown. Other numbers (20 minutes, 7 in 10, 2018) must
keep their value; a language may write them in its own digits (২০, ၂၀).

A quantity with a thousands separator or a decimal mark (35,000, 49.4, 1.8 million) is read the
way a reader of the text's language reads it, with that language's CLDR symbols (from Babel) for
the digits it is written in: 35,000 and 49.4 in English, 35.000 and 49,4 in Vietnamese and
Indonesian, ٣٥٬٠٠٠ and ٤٩٫٤ in Arabic digits, 1,00,000 where CLDR groups by lakh (Hindi, Nepali,
Bengali, Tamil; 100,000 is fine there too). So a Vietnamese "35,000" is thirty-five and fails
against the English 35,000, and a Vietnamese "49.4" is no Vietnamese number at all (49 and 4, as
an English reader reads "49,4") and fails against 49.4: the English form is flagged wherever the
language's symbols are the other way round, because there it misleads.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import cache
from pathlib import Path

import frontmatter
import pytest
import yaml
from babel import Locale
from babel.numbers import get_decimal_symbol, get_group_symbol

from app.locale_data import babel_locale, native_digits, numbering_system

CONTENT = Path(__file__).resolve().parents[1] / "content"
NUMBER = re.compile(r"\+?\d+(?:[ \-.]\d+)*")
LINK = re.compile(r"https?://[^\s)>\]*]+|\b[\w.-]+@[\w-]+(?:\.[\w-]+)+|\b(?:[a-z0-9-]+\.)+[a-z]{2,}(?:/[^\s)>\]*]*)?",
                  re.IGNORECASE | re.ASCII)


def _short_numbers() -> dict[str, set[str]]:
    numbers: dict[str, set[str]] = {}
    for path in (CONTENT / "contacts").glob("*.yaml"):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for contact in document["contacts"]:
            if contact.get("short_number"):
                numbers.setdefault(str(contact.get("country", document["country"])).upper(), set()).add(str(contact["short_number"]))
    return numbers


SHORT_NUMBERS = _short_numbers()


def _reader_text(post: frontmatter.Post) -> str:
    return "\n".join([str(post.get("title", "")), str(post.get("summary", "")), post.content])


def _value(number: str) -> str:
    return "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in number)


@cache
def quantity_patterns(lang: str) -> tuple[tuple[re.Pattern[str], str, str, str], ...]:
    """How a reader of `lang` recognises a grouped or decimal number: for ASCII digits and for the
    digits of the language's default numbering system (the ones the app shows, `native_digits`),
    a pattern with that system's CLDR group and decimal symbols, the symbols and the ten digits.

    Grouping is by thousands (35.000), and also by lakh (1,00,000) where the locale's CLDR pattern
    has a secondary grouping of two. A quantity is never part of a longer run of digits and
    separators (03-8000 8000, 27.11.2026, +60 3-1234 5678): those are read as before.
    """
    locale = Locale.parse("en") if lang == "en" else babel_locale(lang)
    lakh = locale.decimal_formats[None].grouping[1] == 2
    patterns = []
    for system in dict.fromkeys(["latn", "latn" if lang == "en" else numbering_system(lang)]):
        digits = "0123456789" if system == "latn" else native_digits("0123456789", lang)
        decimal = get_decimal_symbol(locale, numbering_system=system)
        group = get_group_symbol(locale, numbering_system=system)
        d, p, g = f"[{digits[0]}-{digits[9]}]", re.escape(decimal), re.escape(group)
        whole = rf"{d}{{1,3}}(?:{g}{d}{{3}})+"
        if lakh:
            whole = rf"(?:{d}{{1,2}}(?:{g}{d}{{2}})+{g}{d}{{3}}|{whole})"
        patterns.append((re.compile(
            rf"(?<![\d+\-.,:/\u066b\u066c])(?<!\d )(?:{whole}(?:{p}{d}+)?|{d}+{p}{d}+)(?![\d\-.,:/\u066b\u066c]?\d|[ ]\d)"),
            decimal, group, digits))
    return tuple(patterns)


def _quantities(text: str, lang: str) -> tuple[str, dict[str, str]]:
    """The text without its grouped and decimal numbers, and those numbers (value → as written)."""
    found: dict[str, str] = {}
    for pattern, decimal, group, digits in quantity_patterns(lang):
        def take(match: re.Match[str]) -> str:
            written = match.group()
            plain = written.replace(group, "").replace(decimal, ".")
            plain = plain.translate({ord(digit): str(i) for i, digit in enumerate(digits)})
            found.setdefault(f"={Decimal(plain).normalize():f}", written)
            return " "
        text = pattern.sub(take, text)
    return text, found


def kept_tokens(text: str, dialable: set[str], lang: str = "en") -> tuple[set[str], dict[str, str]]:
    """(exact, values): what must be there byte for byte, and every number by its value
    (value → the number as written). A plain or grouped or decimal number's value is "=" and the
    number (=20, =35000, =49.4); any other run of digits keeps its separators (03-8000 8000)."""
    links = {link.rstrip(".,;:") for link in LINK.findall(text)}
    rest, values = _quantities(LINK.sub(" ", text), lang)
    numbers = [number.rstrip(".") for number in NUMBER.findall(rest)]
    exact = links | {n for n in numbers if n.isascii() and (not n.isdigit() or n in dialable)}
    for n in numbers:
        values.setdefault(f"={_value(n)}" if n.isdigit() else _value(n), n)
    return exact, values


def changed(english: str, translation: str, dialable: set[str], lang: str = "en") -> list[str]:
    """The numbers and links of the English text the translation (in `lang`) lacks or changed."""
    english_exact, english_values = kept_tokens(english, dialable)
    exact, values = kept_tokens(translation, dialable, lang)
    return sorted((english_exact - exact) | {english_values[v] for v in english_values.keys() - values.keys()})


def _articles() -> list[tuple[str, str]]:
    return [(path.parent.name, path.stem) for path in sorted((CONTENT / "translations").glob("*/*.md"))]


@pytest.mark.parametrize(("lang", "article"), _articles(), ids=lambda v: v)
def test_every_number_and_link_is_kept(lang, article):
    english = frontmatter.load(CONTENT / "articles" / f"{article}.md")
    dialable = set().union(*(SHORT_NUMBERS.get(str(c).upper(), set()) for c in english.get("countries") or []))
    translation = frontmatter.load(CONTENT / "translations" / lang / f"{article}.md")
    assert changed(_reader_text(english), _reader_text(translation), dialable, lang) == []


def test_the_check_catches_a_changed_number_or_link():
    english = "Call **999** or 03-8000 8000. Cool it for 20 minutes. See familylinks.icrc.org or https://a.example.org/x."
    good = "**999** वा 03-8000 8000 मा फोन गर्नुहोस्। २० मिनेट चिसो पार्नुहोस्। familylinks.icrc.org वा https://a.example.org/x हेर्नुहोस्।"
    assert changed(english, good, {"999"}) == []
    assert changed(english, good.replace("03-8000 8000", "03-8000 8001"), {"999"}) == ["03-8000 8000"]
    assert changed(english, good.replace("**999**", "**९९९**"), {"999"}) == ["999"]  # not dialable as shown
    assert changed(english, good.replace("२०", "१०"), {"999"}) == ["20"]
    assert changed(english, good.replace("familylinks.icrc.org", "familylinks.icrc.com"), {"999"}) == ["familylinks.icrc.org"]
    assert changed(english, good.replace("https://a.example.org/x", "a.example.org/x"), {"999"}) == ["https://a.example.org/x"]


def test_a_quantity_is_read_with_the_symbols_of_the_translation_s_language():
    english = "In 2017 more than 35,000 workers came home; 49.4% are women; 1.8 million left. Call 03-8000 8000."
    vi = "Năm 2017 hơn 35.000 người lao động trở về; 49,4% là phụ nữ; 1,8 triệu người ra đi. Gọi 03-8000 8000."
    assert changed(english, vi, set(), "vi") == []
    assert changed(english, vi.replace("35.000", "3.500"), set(), "vi") == ["35,000"]
    assert changed(english, vi.replace("35.000", "35,000"), set(), "vi") == ["35,000"]  # thirty-five to a Vietnamese reader
    assert changed(english, vi.replace("49,4%", "49.4%"), set(), "vi") == ["49.4"]  # English form, misleading in Vietnamese
    assert changed(english, vi.replace("1,8 triệu", "1.8 triệu"), set(), "vi") == ["1.8"]
    assert changed(english, vi.replace("03-8000 8000", "03.8000.8000"), set(), "vi") == ["03-8000 8000"]  # dialled as shown
    indonesian = vi.replace("người lao động", "pekerja")
    assert changed(english, indonesian, set(), "id") == []
    assert changed(english, indonesian.replace("49,4%", "49.4%"), set(), "id") == ["49.4"]
    # Where CLDR's symbols are the English ones, the English form is the right one and the other is wrong.
    assert changed(english, english, set(), "ms") == []
    assert changed(english, vi, set(), "ms") == ["1.8", "35,000", "49.4"]
    # Lakh grouping is accepted where CLDR groups by lakh, never required; native digits keep their value.
    assert changed("More than 100,000 a year.", "हर साल 1,00,000 से ज़्यादा।", set(), "hi") == []
    assert changed("More than 100,000 a year.", "हर साल 100,000 से ज़्यादा।", set(), "hi") == []
    assert changed("More than 100,000 a year.", "हर साल 10,00,000 से ज़्यादा।", set(), "hi") == ["100,000"]
    assert changed(english, "२०१७ मा ३५,००० भन्दा बढी; ४९.४%; १.८ मिलियन। 03-8000 8000", set(), "ne") == []
    # Arabic digits take Arabic symbols (٬ group, ٫ decimal); ASCII digits in Arabic text take "," and ".".
    arabic = "في ٢٠١٧ عاد أكثر من ٣٥٬٠٠٠ عامل؛ ٤٩٫٤٪ نساء؛ غادر ١٫٨ مليون. اتصل بـ 03-8000 8000."
    assert changed(english, arabic, set(), "ar") == []
    assert changed(english, arabic.replace("٣٥٬٠٠٠", "35,000"), set(), "ar") == []
    assert changed(english, arabic.replace("٤٩٫٤", "٤٩٫٥"), set(), "ar") == ["49.4"]
