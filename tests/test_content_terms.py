"""Every translated article uses its language's term list (content/terms/<lang>.yaml).

Where the English text uses a term (Red Cross, Restoring Family Links, passport, employer, ...), the
translation uses that language's word for it, so a reader meets one word for one thing across
articles, and never a phrase that calls people "illegal".
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import frontmatter
import pytest
import yaml

CONTENT = Path(__file__).resolve().parents[1] / "content"
TERMS = CONTENT / "terms"
LANGUAGES = [entry["code"] for entry in yaml.safe_load((CONTENT / "languages.yaml").read_text(encoding="utf-8"))]
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]


@cache
def _yaml(name: str) -> dict:
    return yaml.safe_load((TERMS / f"{name}.yaml").read_text(encoding="utf-8"))


def _text(post: frontmatter.Post) -> str:
    """What a reader sees: title, summary and body (NFC, so a composed and a decomposed letter match)."""
    return unicodedata.normalize("NFC", "\n".join([str(post.get("title", "")), str(post.get("summary", "")), post.content]))


def _english_pattern(stems: list[str]) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(re.escape(stem) for stem in stems) + ")", re.IGNORECASE)


def terms_missing(english: str, translation: str, lang: str) -> list[str]:
    """The terms the English text uses whose term-list word the translation lacks."""
    words = _yaml(lang)
    text = unicodedata.normalize("NFC", translation).casefold()
    missing = [term for term, stems in _yaml("en")["terms"].items()
               if _english_pattern(stems).search(english)
               and not any(unicodedata.normalize("NFC", word).casefold() in text for word in words["terms"][term])]
    for society in (words.get("societies") or {}).values():
        # `stem`: the part of the name every form keeps where the language inflects it
        # (Tamil சங்கம் → சங்கத்தின்; Arabic الصليب → للصليب).
        if society["en"] in english and unicodedata.normalize("NFC", society.get("stem", society["name"])).casefold() not in text:
            missing.append(society["en"])
    return missing


def never_used(translation: str, lang: str) -> list[str]:
    text = unicodedata.normalize("NFC", translation).casefold()
    return [phrase for phrase in _yaml(lang)["never"] if unicodedata.normalize("NFC", phrase).casefold() in text]


def _pairs(lang: str) -> list[tuple[str, str, str]]:
    return [(path.stem, _text(frontmatter.load(CONTENT / "articles" / path.name)), _text(frontmatter.load(path)))
            for path in sorted((CONTENT / "translations" / lang).glob("*.md"))]


def test_every_language_has_a_term_list_with_every_term():
    english_terms = set(_yaml("en")["terms"])
    assert {"red_cross", "red_crescent", "restoring_family_links", "irregular_migrant", "recruitment_agent",
            "passport", "contract", "employer", "embassy"} <= english_terms
    assert sorted(path.stem for path in TERMS.glob("*.yaml")) == sorted(LANGUAGES)
    for lang in TRANSLATED:
        words = _yaml(lang)
        assert words["lang"] == lang
        assert set(words["terms"]) == english_terms, lang
        assert all(words["terms"][term] and all(w.strip() for w in words["terms"][term]) for term in english_terms), lang
        assert words["never"], lang


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_translation_uses_the_term_list(lang):
    missing = [(article, terms_missing(english, translation, lang)) for article, english, translation in _pairs(lang)]
    assert [entry for entry in missing if entry[1]] == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_translation_calls_people_illegal(lang):
    used = [(article, never_used(translation, lang)) for article, _, translation in _pairs(lang)]
    assert [entry for entry in used if entry[1]] == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_society_names_are_the_ones_the_contacts_give(lang):
    """A Society's name in the term list is never made up: it is the name its contact card gives."""
    given = {}
    for path in (CONTENT / "contacts").glob("*.yaml"):
        for contact in yaml.safe_load(path.read_text(encoding="utf-8"))["contacts"]:
            if contact["kind"] == "national_society":
                given[contact.get("country", path.stem)] = contact["name"]
    for country, society in (_yaml(lang).get("societies") or {}).items():
        assert given[country]["en"] == society["en"] and given[country][lang] == society["name"], (lang, country)
        assert society.get("stem", society["name"]) in society["name"], (lang, country)


def test_the_check_catches_a_wrong_term_and_accepts_an_inflected_one():
    english = "Your employer took your passport. Call your embassy."
    assert terms_missing(english, "तपाईंको रोजगारदाताले पासपोर्ट लियो। दूतावासमा फोन गर्नुहोस्।", "ne") == []
    # "राहदानी" is a real word for passport, but not the one the Nepali articles use.
    assert terms_missing(english, "तपाईंको रोजगारदाताले राहदानी लियो। दूतावासमा फोन गर्नुहोस्।", "ne") == ["passport"]
    assert terms_missing("Ask the Malaysian Red Crescent Society.", "मलेसियाको रेड क्रिसेन्टलाई सोध्नुहोस्।", "ne") == [
        "Malaysian Red Crescent Society"]
    _, english, nepali = next(pair for pair in _pairs("ne") if pair[0] == "passport-taken")
    assert terms_missing(english, nepali, "ne") == []
    assert "passport" in terms_missing(english, nepali.replace("पासपोर्ट", "राहदानी"), "ne")
    assert terms_missing("A recruiter called.", "Tumawag ang recruiter.", "fil") == []


def test_the_check_catches_illegal_migrant():
    assert never_used("Hindi ka migran ilegal.", "id") == ["migran ilegal"]
    assert never_used("Anda pekerja migran tidak berdokumen.", "id") == []
