"""Every field of the three request forms is checked, and a wrong one is named by its code."""

from __future__ import annotations

from datetime import date

import phonenumbers
import pytest

from app.help_requests.forms import FORMS, FormRefused, Kind, Problem, route, validate



def example_mobile(region: str, style=phonenumbers.PhoneNumberFormat.INTERNATIONAL) -> str:
    """libphonenumber's own example number for the region: never a person's real number."""
    return phonenumbers.format_number(phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE),
                                      style)


COUNTRIES = {"NP", "MY", "OM", "BD", "PH"}
TODAY = date(2026, 11, 27)

VALID = {
    Kind.tracing: {
        "sought_name": "Ram Bahadur", "relationship": "my brother", "last_country": "MY", "last_city": "Kuala Lumpur",
        "last_contact_date": "2025-06-01", "employer_or_agency": "A cleaning company", "requester_name": "Sita",
        "requester_phone": example_mobile("MY"), "home_country": "NP", "message": "He went for work.", "consent": True,
    },
    Kind.contact_me: {
        "help_kind": "documents", "country": "OM", "city": "Muscat", "name": "Rina", "phone": example_mobile("PH"),
        "safe_time": "after 9 at night", "trusted_person": "my cousin", "home_country": "PH", "message": "",
        "consent": True,
    },
    Kind.safe: {"name": "Karim", "country": "MY", "home_country": "BD", "family_phone": example_mobile("BD", phonenumbers.PhoneNumberFormat.E164),
                "message": "I am safe after the flood.", "consent": True},
}


@pytest.mark.parametrize("kind", list(Kind))
def test_a_complete_form_is_accepted_with_phones_in_e164_and_countries_as_codes(kind):
    clean = validate(kind, VALID[kind], countries=COUNTRIES, today=TODAY)
    phones = [clean[f.name] for f in FORMS[kind] if f.type == "phone" and f.name in clean]
    assert phones and all(p.startswith("+") and " " not in p and "-" not in p for p in phones)
    assert "message" not in clean or clean["message"]  # an empty optional field is left out


@pytest.mark.parametrize("kind, field, value, problem", [
    (Kind.tracing, "sought_name", "", Problem.missing),
    (Kind.tracing, "sought_name", "   ", Problem.missing),
    (Kind.tracing, "sought_name", "x" * 101, Problem.too_long),
    (Kind.tracing, "sought_name", 42, Problem.not_text),
    (Kind.tracing, "relationship", None, Problem.missing),
    (Kind.tracing, "last_country", "XX", Problem.unknown_country),
    (Kind.tracing, "last_country", "FR", Problem.unknown_country),  # a real country the content does not know
    (Kind.tracing, "last_city", "", Problem.missing),
    (Kind.tracing, "last_contact_date", "01/06/2025", Problem.bad_date),
    (Kind.tracing, "last_contact_date", "2027-01-01", Problem.future_date),
    (Kind.tracing, "employer_or_agency", "x" * 201, Problem.too_long),
    (Kind.tracing, "requester_phone", example_mobile("NP", phonenumbers.PhoneNumberFormat.NATIONAL), Problem.bad_phone),  # no country code
    (Kind.tracing, "requester_phone", "+977 12", Problem.bad_phone),
    (Kind.tracing, "requester_phone", "+1 555 CALL ME", Problem.bad_phone),
    (Kind.tracing, "home_country", "", Problem.missing),
    (Kind.tracing, "message", "x" * 1001, Problem.too_long),
    (Kind.tracing, "consent", False, Problem.consent_needed),
    (Kind.tracing, "consent", "true", Problem.consent_needed),  # only a real yes
    (Kind.tracing, "consent", None, Problem.consent_needed),
    (Kind.tracing, "who_else", "x", Problem.unknown_field),
    (Kind.contact_me, "help_kind", "money", Problem.not_a_choice),
    (Kind.contact_me, "help_kind", "", Problem.missing),
    (Kind.contact_me, "country", "om ", None),  # written in lower case: accepted as OM
    (Kind.contact_me, "phone", "", Problem.missing),
    (Kind.contact_me, "home_country", "ZZ", Problem.unknown_country),
    (Kind.contact_me, "safe_time", "x" * 201, Problem.too_long),
    (Kind.safe, "family_phone", "+977 abc", Problem.bad_phone),
    (Kind.safe, "family_phone", "", None),  # optional
    (Kind.safe, "message", "x" * 501, Problem.too_long),
    (Kind.safe, "message", "", Problem.missing),
])
def test_each_field_is_checked(kind, field, value, problem):
    form = {**VALID[kind], field: value}
    if problem is None:
        validate(kind, form, countries=COUNTRIES, today=TODAY)
        return
    with pytest.raises(FormRefused) as refused:
        validate(kind, form, countries=COUNTRIES, today=TODAY)
    assert refused.value.problems == {field: problem}


def test_a_missing_field_is_named_even_when_the_key_is_absent():
    form = dict(VALID[Kind.tracing])
    del form["requester_phone"], form["consent"]
    with pytest.raises(FormRefused) as refused:
        validate(Kind.tracing, form, countries=COUNTRIES, today=TODAY)
    assert refused.value.problems == {"requester_phone": Problem.missing, "consent": Problem.consent_needed}


@pytest.mark.parametrize("kind, fields, expected", [
    (Kind.tracing, {"home_country": "NP", "last_country": "MY"}, ["NP", "MY"]),
    (Kind.contact_me, {"country": "OM", "home_country": "PH"}, ["OM", "PH"]),
    (Kind.contact_me, {"country": "OM"}, ["OM"]),
    (Kind.safe, {"home_country": "BD", "country": "MY"}, ["BD", "MY"]),
    (Kind.safe, {"home_country": "MY", "country": "MY"}, ["MY"]),
])
def test_the_route_lists_candidate_countries_in_the_contract_order(kind, fields, expected):
    assert route(kind, fields) == expected


def test_the_readme_documents_every_field_of_every_form():
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for kind, specs in FORMS.items():
        row = next(line for line in readme.splitlines() if line.startswith(f"| `{kind.value}` "))
        documented = set(re.findall(r"`([a-z_]+)`", row.split("|")[2]))
        assert {s.name for s in specs} <= documented, kind
        optional = set(re.findall(r"`([a-z_]+)`\*", row))
        assert optional == {s.name for s in specs if not s.required}, kind
