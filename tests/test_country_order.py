"""Country lists are in the reader's alphabetical order, whatever the script."""

from __future__ import annotations

from app.content import queries


def _names(session, lang: str) -> list[str]:
    return [c.name for c in queries.list_countries(session, lang=lang)]


def test_thai_files_a_name_under_its_consonant_not_its_leading_vowel(shipped):
    names = _names(shipped, "th")
    # เกาหลีใต้ (South Korea) is read "ก…": it comes right after the other ก names, before ค (Kuwait).
    assert names.index("เกาหลีใต้") < names.index("คูเวต")
    assert names.index("กาตาร์") < names.index("เกาหลีใต้")


def test_urdu_puts_pe_beside_be_not_after_every_arabic_letter(shipped):
    names = _names(shipped, "ur")
    # پاکستان (Pakistan) starts with پ, the letter after ب in Urdu: before ت (Thailand), not at the end.
    assert names.index("پاکستان") < names.index("تھائی لینڈ")


def test_english_stays_plainly_alphabetical(shipped):
    names = _names(shipped, "en")
    assert names == sorted(names, key=str.casefold)
    assert names[0] == "Australia"
