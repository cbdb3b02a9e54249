"""Edit forms ↔ content items: what a form shows for an item, and the item a sent form makes.

Pure functions on dicts, no database and no HTTP. The content store checks the whole item
with the same rules `make bundle` applies; this module only turns what a browser sends into
an item (trimming, empty → none, a phone number written with spaces → E.164) and refuses what
cannot become one at all (a date that is not a date, a text too long to be an article).
`FieldError.field` is always the name of a form field, so the page shows it next to that field.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Mapping

from app.content.schemas import TEXT_BODY_MAX_CHARS

# The content rules' limit (the longest article text today is ~4,000 characters).
BODY_MAX = TEXT_BODY_MAX_CHARS
LINE_MAX = 300  # a title, a name, a summary line
NOTE_MAX = 2_000
SOURCE_MAX = 1_000
NOTICE_BODY_MAX = 4_000
NOTICE_ID = re.compile(r"[a-z0-9][a-z0-9-]{1,62}")
SEVERITIES = ("info", "warning", "danger")


class FieldError(Exception):
    """A sent form that cannot become an item; `field` is the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def now_stamp() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _text(form: Mapping[str, str], name: str, *, limit: int, required: str | None = None) -> str:
    value = (form.get(name) or "").strip().replace("\r\n", "\n")
    if len(value) > limit:
        raise FieldError(name, f"This is too long: at most {limit:,} characters.")
    if required and not value:
        raise FieldError(name, required)
    return value


def _date(form: Mapping[str, str], name: str, what: str) -> str:
    value = (form.get(name) or "").strip()
    if not value:
        raise FieldError(name, f"Enter the {what}.")
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise FieldError(name, f"The {what} must be a date like 2026-11-27.") from None


# ---- article texts ----------------------------------------------------------------------------

def text_values(text: dict | None) -> dict[str, str]:
    """The form fields of an article text (empty for a language not written yet)."""
    text = text or {}
    return {"title": text.get("title", ""), "summary": text.get("summary", ""), "body": text.get("body", "")}


def text_from_form(current: dict | None, article_id: str, lang: str, form: Mapping[str, str]) -> dict:
    """The article text item the form makes; a new language starts unreviewed."""
    item = dict(current or {"article_id": article_id, "lang": lang, "reviewed": False})
    item["title"] = _text(form, "title", limit=LINE_MAX, required="Enter a title.")
    item["summary"] = _text(form, "summary", limit=LINE_MAX)
    item["body"] = _text(form, "body", limit=BODY_MAX, required="Write the text of the article.")
    item["updated_at"] = now_stamp()
    return item


# ---- contacts -------------------------------------------------------------------------------

def contact_values(contact: dict) -> dict[str, str]:
    english = contact.get("texts", {}).get("en", {})
    return {"phone": contact.get("phone") or "", "short_number": contact.get("short_number") or "",
            "website": contact.get("website") or "", "source": contact.get("source", ""),
            "verified_on": contact.get("verified_on", ""), "name": english.get("name", ""),
            "note": english.get("note", "")}


# What a phone number may hold as typed: digits, a leading +, and the spaces, brackets, dots
# and dashes people write between digits. Anything else is not part of the number.
_PHONE_SIGNS = re.compile(r"\+?[\d\s().-]+")


def e164(number: str, country: str) -> str:
    """number as E.164 when phonenumbers reads it as a valid number for country ("+977 1-4270650"
    → "+97714270650"). Anything else is refused here, quoting what was typed: read as a number,
    an extension would be dropped and letters turned into digits unseen."""
    import phonenumbers  # large metadata: loaded only when a contact is saved

    try:
        parsed = phonenumbers.parse(number, country)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is not None and parsed.extension:
        raise FieldError("phone", f"“{number}” has an extension. Give the phone number only; "
                                  "the extension can go in the note.")
    if any(character.isalpha() for character in number):
        raise FieldError("phone", f"“{number}” has letters in it. Give the phone number only, in digits; "
                                  "an extension or whom to ask for can go in the note.")
    if not _PHONE_SIGNS.fullmatch(number):
        raise FieldError("phone", f"“{number}” has signs that are not part of a phone number. Give the number only, "
                                  "in digits (spaces and dashes are fine); an extension can go in the note.")
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        raise FieldError("phone", f"“{number}” is not a valid phone number. Check the digits; a number in "
                                  "another country starts with + and that country's code.")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def contact_from_form(current: dict, form: Mapping[str, str]) -> dict:
    """The contact item the form makes: numbers, website, source, checked date, English name and note."""
    item = dict(current)
    phone = _text(form, "phone", limit=40)
    item["phone"] = e164(phone, current["country"]) if phone else None
    item["short_number"] = _text(form, "short_number", limit=20).replace(" ", "") or None
    item["website"] = _text(form, "website", limit=500) or None
    item["source"] = _text(form, "source", limit=SOURCE_MAX,
                           required="Enter the source: where the number was confirmed (a web page, a letter, a call).")
    item["verified_on"] = _date(form, "verified_on", "date the number was checked")
    if item["verified_on"] > date.today().isoformat():
        raise FieldError("verified_on", "The date the number was checked cannot be in the future.")
    texts = {lang: dict(text) for lang, text in current.get("texts", {}).items()}
    texts["en"] = {**texts.get("en", {}), "name": _text(form, "name", limit=LINE_MAX, required="Enter the name."),
                   "note": _text(form, "note", limit=NOTE_MAX)}
    item["texts"] = texts
    item["updated_at"] = now_stamp()
    return item


# ---- notices --------------------------------------------------------------------------------

def notice_values(notice: dict | None) -> dict[str, str]:
    notice = notice or {}
    values = {"id": notice.get("id", ""), "countries": ", ".join(notice.get("countries", [])),
              "severity": notice.get("severity", "warning"), "starts": notice.get("starts", ""),
              "ends": notice.get("ends", ""), "extra_lang": "", "title_extra": "", "body_extra": ""}
    for lang, text in notice.get("texts", {}).items():
        values[f"title_{lang}"] = text.get("title", "")
        values[f"body_{lang}"] = text.get("body", "")
    return values


def notice_languages(values: Mapping[str, str]) -> list[str]:
    """The languages the notice form shows: English first, then those the notice has."""
    found = [name.removeprefix("title_") for name in values if name.startswith("title_") and name != "title_extra"]
    return ["en", *sorted(lang for lang in found if lang != "en")]


def notice_from_form(current: dict | None, form: Mapping[str, str], languages: set[str]) -> dict:
    """The notice item the form makes. A new notice takes its id from the form."""
    item = dict(current or {"example": False})
    if current is None:
        notice_id = _text(form, "id", limit=64, required="Enter a short name for the notice, e.g. nepal-floods-2026.")
        if not NOTICE_ID.fullmatch(notice_id):
            raise FieldError("id", "The short name may hold only small letters a-z, digits and dashes.")
        item["id"] = notice_id
    countries = [code.strip().upper() for code in re.split(r"[\s,]+", form.get("countries") or "") if code.strip()]
    if not countries:
        raise FieldError("countries", "Enter the country codes the notice is for, e.g. NP, MY.")
    item["countries"] = list(dict.fromkeys(countries))
    severity = form.get("severity")
    if severity not in SEVERITIES:
        raise FieldError("severity", "Choose how serious the notice is.")
    item["severity"] = severity
    item["starts"] = _date(form, "starts", "first day")
    item["ends"] = _date(form, "ends", "last day")
    if item["ends"] < item["starts"]:
        raise FieldError("ends", "The last day is before the first day: the notice would never show.")
    texts = {}
    for lang in notice_languages({**notice_values(current), **form}):
        title = _text(form, f"title_{lang}", limit=LINE_MAX, required="Enter the title in English." if lang == "en" else None)
        if title:
            texts[lang] = {"title": title, "body": _text(form, f"body_{lang}", limit=NOTICE_BODY_MAX)}
    extra = (form.get("extra_lang") or "").strip()
    if extra:
        if extra not in languages:
            raise FieldError("extra_lang", "Choose a language from the list.")
        title = _text(form, "title_extra", limit=LINE_MAX, required="Enter the title in the added language.")
        texts[extra] = {"title": title, "body": _text(form, "body_extra", limit=NOTICE_BODY_MAX)}
    item["texts"] = texts
    item["updated_at"] = now_stamp()
    return item
