"""The three request forms, their fields, and the checks every field gets.

A form arrives as a dict (from a screen or the command line's --json-file) and leaves as
clean fields or `FormRefused` naming each field that is wrong, with a code the UI turns
into words. Nothing here stores or sends anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Callable, Iterable


class Kind(StrEnum):
    tracing = "tracing"  # "Find my family member"
    contact_me = "contact-me"  # "Please contact me"
    safe = "safe"  # "I am safe"


class HelpKind(StrEnum):
    work = "work"
    documents = "documents"
    health = "health"
    violence = "violence"
    detention = "detention"
    family = "family"
    other = "other"


class Problem(StrEnum):
    missing = "missing"
    too_long = "too_long"
    not_text = "not_text"
    bad_phone = "bad_phone"
    unknown_country = "unknown_country"
    bad_date = "bad_date"
    future_date = "future_date"
    not_a_choice = "not_a_choice"
    consent_needed = "consent_needed"
    unknown_field = "unknown_field"


class FormRefused(Exception):
    """Some fields are missing or wrong: {field: Problem}. Nothing was saved."""

    def __init__(self, problems: dict[str, Problem]) -> None:
        super().__init__(", ".join(f"{name}: {problem.value}" for name, problem in sorted(problems.items())))
        self.problems = problems


class FieldType(StrEnum):
    text = "text"
    phone = "phone"  # E.164
    country = "country"  # ISO 3166 alpha-2, one the installed content knows
    past_date = "past_date"  # ISO date, not after today
    help_kind = "help_kind"
    consent = "consent"  # must be true


# One field of a form: its name in the JSON, its type, and whether it may be left out.
@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: FieldType = FieldType.text
    required: bool = True
    max_length: int = 100


NAME_LENGTH = 100
MESSAGE_LENGTH = 1000
SAFE_MESSAGE_LENGTH = 500

FORMS: dict[Kind, tuple[FieldSpec, ...]] = {
    Kind.tracing: (
        FieldSpec("sought_name", max_length=NAME_LENGTH),
        FieldSpec("relationship", max_length=60),
        FieldSpec("last_country", FieldType.country),
        FieldSpec("last_city", max_length=100),
        FieldSpec("last_contact_date", FieldType.past_date, required=False),
        FieldSpec("employer_or_agency", required=False, max_length=200),
        FieldSpec("requester_name", max_length=NAME_LENGTH),
        FieldSpec("requester_phone", FieldType.phone),
        FieldSpec("home_country", FieldType.country),
        FieldSpec("message", required=False, max_length=MESSAGE_LENGTH),
        FieldSpec("consent", FieldType.consent),
    ),
    Kind.contact_me: (
        FieldSpec("help_kind", FieldType.help_kind),
        FieldSpec("country", FieldType.country),
        FieldSpec("city", max_length=100),
        FieldSpec("name", max_length=NAME_LENGTH),
        FieldSpec("phone", FieldType.phone),
        FieldSpec("safe_time", required=False, max_length=200),
        FieldSpec("trusted_person", required=False, max_length=200),
        FieldSpec("home_country", FieldType.country, required=False),
        FieldSpec("message", required=False, max_length=MESSAGE_LENGTH),
        FieldSpec("consent", FieldType.consent),
    ),
    Kind.safe: (
        FieldSpec("name", max_length=NAME_LENGTH),
        FieldSpec("country", FieldType.country),
        FieldSpec("home_country", FieldType.country),
        FieldSpec("family_phone", FieldType.phone, required=False),
        FieldSpec("message", max_length=SAFE_MESSAGE_LENGTH),
        FieldSpec("consent", FieldType.consent),
    ),
}

# Where the server should route a request: ordered candidate countries (the first with a
# National Society gets it; see the shared API contract).
ROUTES: dict[Kind, tuple[str, str]] = {
    Kind.tracing: ("home_country", "last_country"),
    Kind.contact_me: ("country", "home_country"),
    Kind.safe: ("home_country", "country"),
}

# Control characters have no place in a form (a newline in a message is fine).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _text(value: Any, spec: FieldSpec, _countries: frozenset[str], _today: date) -> Any:
    if not isinstance(value, str):
        raise _Refuse(Problem.not_text)
    value = _CONTROL.sub("", value).strip()
    if len(value) > spec.max_length:
        raise _Refuse(Problem.too_long)
    return value


def _phone(value: Any, _spec: FieldSpec, _countries: frozenset[str], _today: date) -> str:
    import phonenumbers  # its number data is large: loaded when a number is checked

    if not isinstance(value, str) or not value.strip().startswith("+"):
        raise _Refuse(Problem.bad_phone)
    try:
        parsed = phonenumbers.parse(value.strip(), None)
    except phonenumbers.NumberParseException:
        raise _Refuse(Problem.bad_phone) from None
    if not phonenumbers.is_valid_number(parsed):
        raise _Refuse(Problem.bad_phone)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _country(value: Any, _spec: FieldSpec, countries: frozenset[str], _today: date) -> str:
    code = value.strip().upper() if isinstance(value, str) else ""
    if code not in countries:
        raise _Refuse(Problem.unknown_country)
    return code


def _past_date(value: Any, _spec: FieldSpec, _countries: frozenset[str], today: date) -> str:
    try:
        day = date.fromisoformat(value.strip()) if isinstance(value, str) else None
    except ValueError:
        day = None
    if day is None:
        raise _Refuse(Problem.bad_date)
    if day > today:
        raise _Refuse(Problem.future_date)
    return day.isoformat()


def _help_kind(value: Any, _spec: FieldSpec, _countries: frozenset[str], _today: date) -> str:
    try:
        return HelpKind(value).value
    except ValueError:
        raise _Refuse(Problem.not_a_choice) from None


def _consent(value: Any, _spec: FieldSpec, _countries: frozenset[str], _today: date) -> bool:
    if value is not True:
        raise _Refuse(Problem.consent_needed)
    return True


class _Refuse(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


_CHECKS: dict[FieldType, Callable[[Any, FieldSpec, frozenset[str], date], Any]] = {
    FieldType.text: _text,
    FieldType.phone: _phone,
    FieldType.country: _country,
    FieldType.past_date: _past_date,
    FieldType.help_kind: _help_kind,
    FieldType.consent: _consent,
}


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def validate(kind: Kind, data: dict[str, Any], *, countries: Iterable[str], today: date | None = None) -> dict[str, Any]:
    """The form's clean fields (optional ones left empty are left out), or FormRefused
    naming every field that is missing or wrong. `countries`: the codes the installed
    content knows."""
    if not isinstance(data, dict):
        raise FormRefused({"form": Problem.not_text})
    specs = {spec.name: spec for spec in FORMS[Kind(kind)]}
    known, today = frozenset(countries), today or date.today()
    problems: dict[str, Problem] = {name: Problem.unknown_field for name in data if name not in specs}
    clean: dict[str, Any] = {}
    for name, spec in specs.items():
        value = data.get(name)
        if _empty(value) and spec.type != FieldType.consent:
            if spec.required:
                problems[name] = Problem.missing
            continue
        try:
            checked = _CHECKS[spec.type](value, spec, known, today)
        except _Refuse as refusal:
            problems[name] = refusal.problem
            continue
        if _empty(checked):
            if spec.required:
                problems[name] = Problem.missing
            continue
        clean[name] = checked
    if problems:
        raise FormRefused(problems)
    return clean


def route(kind: Kind, fields: dict[str, Any]) -> list[str]:
    """The ordered countries whose National Society should get the request (no repeats)."""
    countries: list[str] = []
    for name in ROUTES[Kind(kind)]:
        code = fields.get(name)
        if code and code not in countries:
            countries.append(code)
    return countries
