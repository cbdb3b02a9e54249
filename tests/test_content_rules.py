"""Rules every piece of published content must keep (the content source in content/)."""

import re
from datetime import date
from urllib.parse import urlsplit

import phonenumbers
import pytest
from phonenumbers import shortnumberinfo

from app.content.bundle_format import item_path
from app.content.rows import build_rows
from app.content.source import read_source
from app.storage.paths import CONTENT_SOURCE_DIR

ITEMS = read_source(CONTENT_SOURCE_DIR)
ROWS = build_rows(ITEMS)  # validation of every field and link happens here
# The first contact checks in this repository were made on this day.
FIRST_CHECK = date(2026, 11, 23)
DESTINATIONS = sorted(c.code for c in ROWS.countries if "destination" in c.roles.split(","))
# "illegal" next to a word for people: the guidance note (L252-259) says never.
ILLEGAL_PEOPLE = re.compile(
    r"\billegal(ly)?[\s-]+(migrants?|immigrants?|workers?|people|persons?|aliens?|foreigners?|entrants?)\b|\billegals\b",
    re.IGNORECASE,
)


def _contacts(country, kind):
    return [c for c in ROWS.contacts if c.country == country and c.kind == kind]


def test_the_source_validates_and_has_every_kind_of_article():
    assert {a.kind.value for a in ROWS.articles} == {"advice", "what_if", "first_aid", "service", "page"}


SCOPE = {
    "BD", "KH", "CN", "IN", "ID", "LA", "MN", "MM", "NP", "PK", "PH", "LK", "VU", "VN",  # origin (issue scope)
    "AU", "BN", "MY", "MV", "NZ", "KR", "SG", "TH", "AE", "SA", "QA", "KW", "OM", "BH",  # destination
}


def test_every_country_in_scope_is_in_the_content():
    assert SCOPE <= {c.code for c in ROWS.countries}


@pytest.mark.parametrize("country", sorted(c.code for c in ROWS.countries))
def test_every_country_has_emergency_numbers_and_its_national_society(country):
    assert _contacts(country, "emergency"), f"{country} has no emergency number"
    without = {c.code: c for c in ROWS.countries if c.no_national_society_source}
    if country in without:
        # Saying plainly that there is none, with a source, is the honest answer.
        assert [t for t in ROWS.country_texts if t.country == country and t.lang == "en"]
        assert not _contacts(country, "national_society")
    else:
        assert _contacts(country, "national_society"), f"{country} has no National Society"


@pytest.mark.parametrize("contact", [c for c in ROWS.contacts if c.kind == "emergency"], ids=lambda c: c.id)
def test_every_emergency_number_is_an_emergency_number_in_its_country(contact):
    assert contact.short_number, f"{contact.id}: an emergency contact needs its short number"
    assert shortnumberinfo.is_emergency_number(contact.short_number, contact.country)


def test_every_full_number_is_valid_e164():
    for contact in [c for c in ROWS.contacts if c.phone]:
        parsed = phonenumbers.parse(contact.phone)
        assert phonenumbers.is_valid_number(parsed), contact.id
        assert phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == contact.phone


@pytest.mark.parametrize("contact", ROWS.contacts, ids=lambda c: c.id)
def test_every_contact_has_a_source_and_a_verified_date(contact):
    assert contact.source.strip() and contact.verified_on


@pytest.mark.parametrize("article", [a for a in ROWS.articles if a.kind == "what_if"], ids=lambda a: a.id)
def test_every_what_if_guide_resolves_to_contacts_in_every_destination(article):
    kinds = [k for k in article.contact_kinds.split(",") if k]
    assert kinds, f"{article.id} names no contact kinds"
    missing = [country for country in DESTINATIONS if not [c for c in ROWS.contacts if c.country == country and c.kind in kinds]]
    assert missing == [], f"{article.id}: no {kinds} contact in {missing}"


@pytest.mark.parametrize("path", sorted(ITEMS), ids=str)
def test_no_text_calls_people_illegal(path):
    text = str(ITEMS[path])
    assert not ILLEGAL_PEOPLE.search(text), ILLEGAL_PEOPLE.search(text).group(0)


def test_the_illegal_rule_itself_catches_what_it_must():
    assert ILLEGAL_PEOPLE.search("Illegal migrants are") and ILLEGAL_PEOPLE.search("an illegal worker")
    assert not ILLEGAL_PEOPLE.search("an irregular migrant") and not ILLEGAL_PEOPLE.search("unlicensed recruitment")


def _channel_evidence(contact):
    """What the source must show for each way to reach a contact: the number's digits as dialled
    in the country, the website's host without "www."."""
    evidence = []
    if contact.phone:
        evidence.append(str(phonenumbers.parse(contact.phone).national_number))
    if contact.short_number:
        evidence.append(contact.short_number)
    if contact.website:
        evidence.append(urlsplit(contact.website).hostname.removeprefix("www."))
    return evidence


@pytest.mark.parametrize("contact", [c for c in ROWS.contacts if c.kind == "national_society"], ids=lambda c: c.id)
def test_every_national_society_channel_is_in_its_source_with_a_check_date(contact):
    # A number or website on a Red Cross card must come from a page we can name, and say when
    # someone last looked at that page; the digits or host must be visible in that source text.
    source_digits = re.sub(r"\D", "", contact.source)
    for item in _channel_evidence(contact):
        found = item in source_digits if item.isdigit() else item in contact.source
        assert found, f"{contact.id}: {item} is not in its source"
    if _channel_evidence(contact):
        assert "https://" in contact.source or "http://" in contact.source, f"{contact.id}: the source names no page"
        assert FIRST_CHECK <= contact.verified_on <= date.today(), f"{contact.id}: verified_on {contact.verified_on}"


def test_the_channel_check_catches_a_number_missing_from_its_source():
    card = next(c for c in ROWS.contacts if c.id == "qa-national-society")
    broken = card.model_copy(update={"phone": "+97444000000"})
    with pytest.raises(AssertionError, match="not in its source"):
        test_every_national_society_channel_is_in_its_source_with_a_check_date(broken)


@pytest.mark.parametrize("contact", [c for c in ROWS.contacts if c.kind == "national_society"], ids=lambda c: c.id)
def test_a_society_card_sends_people_to_a_website_only_when_it_shows_one(contact):
    # A card without a website once said "use the website": the reader was left with nothing.
    english = ITEMS[item_path("contact", contact.id)]["texts"]["en"]["note"]
    if contact.website is None:
        assert not re.search(r"\buse (the|its) website\b", english), f"{contact.id}: {english}"
