"""What a help request must hold: the outer body the phone posts, and the fields of each
form sealed inside it (opened in memory only to check them, never stored in plain).

A refusal names the field and what is wrong, never the value (it may be personal).
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Annotated, Literal, Optional

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, ValidationError

KINDS = ("tracing", "contact-me", "safe")
HELP_KINDS = ("work", "documents", "health", "violence", "detention", "family", "other")
_COUNTRY = re.compile(r"[A-Z]{2}")
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")


class InvalidField(Exception):
    """A field is missing or wrong: `field` names it, `reason` says what is expected."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


def _country(value: str) -> str:
    if not _COUNTRY.fullmatch(value):
        raise ValueError("must be a two-letter ISO country code, like NP")
    return value


def load_phone_metadata() -> None:
    """Load phonenumbers' metadata (about a second) when a worker starts, not at its first request."""
    import phonenumbers

    phonenumbers.PhoneMetadata.load_all()


def _phone(value: str) -> str:
    import phonenumbers  # loaded at start by load_phone_metadata

    try:
        possible = _E164.fullmatch(value) and phonenumbers.is_possible_number(phonenumbers.parse(value, None))
    except phonenumbers.NumberParseException:
        possible = False
    if not possible:
        raise ValueError("must be a phone number in international format: + and the country code, then the number")
    return value


def _text(max_length: int):
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length)]


Country = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True), AfterValidator(_country)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_phone)]
Name = _text(200)
Short = _text(200)
Message = _text(2000)


def _blank_is_none(value):
    return None if isinstance(value, str) and not value.strip() else value


def _optional(kind):
    """An optional field: left out, null or blank (an empty box on the phone) all mean "not given"."""
    return Annotated[Optional[kind], BeforeValidator(_blank_is_none)]


class _Form(BaseModel):
    # Only the fields a caseworker needs: anything else is refused, not stored.
    model_config = ConfigDict(extra="forbid")
    consent: Literal[True]


# "Find my family member".
class TracingForm(_Form):
    sought_name: Name
    relationship: Short
    last_country: Country
    last_city: Short
    last_contact_date: _optional(date) = None
    employer_or_agency: _optional(Short) = None
    requester_name: Name
    requester_phone: Phone
    home_country: Country
    message: _optional(Message) = None


# "Please contact me".
class ContactMeForm(_Form):
    help_kind: Literal[HELP_KINDS]
    country: Country
    city: Short
    name: Name
    phone: Phone
    safe_time: _optional(Short) = None
    trusted_person: _optional(Short) = None
    home_country: _optional(Country) = None
    message: _optional(Message) = None


# "I am safe".
class SafeForm(_Form):
    name: Name
    country: Country
    home_country: Country
    family_phone: _optional(Phone) = None
    message: _optional(_text(500)) = None


FORMS: dict[str, type[_Form]] = {"tracing": TracingForm, "contact-me": ContactMeForm, "safe": SafeForm}


# The JSON body of POST /api/requests (the form itself is sealed inside `sealed`).
class RequestBody(BaseModel):
    v: Literal[1]
    kind: Literal[KINDS]
    route: Annotated[list[Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$", to_upper=True)]],
                     Field(min_length=1, max_length=4)]
    key_id: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16}$")]
    sealed: Annotated[str, StringConstraints(min_length=1)]


def _first_problem(error: ValidationError) -> InvalidField:
    problem = error.errors(include_input=False, include_url=False)[0]
    field = ".".join(str(part) for part in problem["loc"]) or "body"
    if problem["type"] == "missing":
        return InvalidField(field, "is required")
    if problem["type"] == "extra_forbidden":
        # The name is the sender's own words (it may be anything): never repeated back.
        return InvalidField(".".join(str(part) for part in problem["loc"][:-1]) or "form",
                            "holds a field that is not part of it")
    reason = problem["msg"].removeprefix("Value error, ")
    return InvalidField(field, reason[:1].lower() + reason[1:])


def parse_body(raw: object) -> RequestBody:
    try:
        body = RequestBody.model_validate(raw)
    except ValidationError as error:
        raise _first_problem(error) from None
    return body


def check_form(kind: str, plaintext: bytes) -> None:
    """Refuse a sealed form whose fields are missing or wrong (InvalidField names the field)."""
    try:
        fields = json.loads(plaintext.decode("utf-8"))
    except (ValueError, RecursionError):  # not UTF-8 or JSON, an integer past the digit limit, too deep
        raise InvalidField("sealed", "must hold the form's fields as JSON") from None
    if not isinstance(fields, dict):
        raise InvalidField("sealed", "must hold the form's fields as a JSON object")
    try:
        FORMS[kind].model_validate(fields)
    except ValidationError as error:
        raise _first_problem(error) from None
