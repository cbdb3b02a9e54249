"""Every number and link of an English article is in each of its translations, unchanged.

Links, e-mail addresses, phone numbers written with "+" or separators (03-8000 8000) and the short
numbers of the article's countries' contacts (999, 15999) must be there byte for byte, in ASCII
digits, so a reader can dial or type them as shown. Other numbers (20 minutes, 7 in 10, 2018) must
keep their value; a language may write them in its own digits (২০, ၂၀).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import frontmatter
import pytest
import yaml

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


def kept_tokens(text: str, dialable: set[str]) -> tuple[set[str], set[str]]:
    """(exact, values): what must be there byte for byte, and every number by its value."""
    links = {link.rstrip(".,;:") for link in LINK.findall(text)}
    numbers = [number.rstrip(".") for number in NUMBER.findall(LINK.sub(" ", text))]
    exact = links | {n for n in numbers if n.isascii() and (not n.isdigit() or n in dialable)}
    return exact, {_value(n) for n in numbers}


def changed(english: str, translation: str, dialable: set[str]) -> list[str]:
    """The numbers and links of the English text the translation lacks or changed."""
    english_exact, english_values = kept_tokens(english, dialable)
    exact, values = kept_tokens(translation, dialable)
    return sorted((english_exact - exact) | (english_values - values))


def _articles() -> list[tuple[str, str]]:
    return [(path.parent.name, path.stem) for path in sorted((CONTENT / "translations").glob("*/*.md"))]


@pytest.mark.parametrize(("lang", "article"), _articles(), ids=lambda v: v)
def test_every_number_and_link_is_kept(lang, article):
    english = frontmatter.load(CONTENT / "articles" / f"{article}.md")
    dialable = set().union(*(SHORT_NUMBERS.get(str(c).upper(), set()) for c in english.get("countries") or []))
    translation = frontmatter.load(CONTENT / "translations" / lang / f"{article}.md")
    assert changed(_reader_text(english), _reader_text(translation), dialable) == []


def test_the_check_catches_a_changed_number_or_link():
    english = "Call **999** or 03-8000 8000. Cool it for 20 minutes. See familylinks.icrc.org or https://a.example.org/x."
    good = "**999** वा 03-8000 8000 मा फोन गर्नुहोस्। २० मिनेट चिसो पार्नुहोस्। familylinks.icrc.org वा https://a.example.org/x हेर्नुहोस्।"
    assert changed(english, good, {"999"}) == []
    assert changed(english, good.replace("03-8000 8000", "03-8000 8001"), {"999"}) == ["03-8000 8000"]
    assert changed(english, good.replace("**999**", "**९९९**"), {"999"}) == ["999"]  # not dialable as shown
    assert changed(english, good.replace("२०", "१०"), {"999"}) == ["20"]
    assert changed(english, good.replace("familylinks.icrc.org", "familylinks.icrc.com"), {"999"}) == ["familylinks.icrc.org"]
    assert changed(english, good.replace("https://a.example.org/x", "a.example.org/x"), {"999"}) == ["https://a.example.org/x"]
