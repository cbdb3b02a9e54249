"""The translating pages' arithmetic on a content set known by heart: queue counts and order,
which contacts are overdue for a check, what a recorded check changes, and the programme
directory's sections and search."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from app.content.item_paths import item_path
from app.content.rows import build_rows
from app.content.translation_state import TranslationState
from sync_server.translating import checks, directory, queue
from tests.translating_helpers import LONG_AGO, TODAY, known_items


def test_counts_per_language():
    counts = {c.lang: (c.missing, c.machine, c.stale, c.reviewed, c.total) for c in queue.language_counts(known_items())}
    assert counts == {"th": (2, 1, 0, 1, 4), "my": (3, 0, 1, 0, 4), "km": (3, 1, 0, 0, 4)}


def test_a_queue_lists_what_a_reader_sees_wrong_first():
    rows = queue.queue(known_items(), "my")
    # Stale first, then the missing ones by English title.
    assert [(r.article_id, r.state) for r in rows] == [
        ("passport-taken", TranslationState.stale),
        ("nepal-help", TranslationState.missing),  # Help in Nepal
        ("keep-documents", TranslationState.missing),  # Keep your documents safe
        ("malaysia-help", TranslationState.missing),  # Where to get help in Malaysia
    ]
    assert rows[0].translation_updated == date(2026, 1, 1) and rows[-1].translation_updated is None


@pytest.mark.parametrize("today, twelve_months_before", [
    (date(2026, 11, 27), date(2025, 11, 27)),
    (date(2028, 2, 29), date(2027, 2, 28)),  # no 29 February a year before
    (date(2026, 3, 31), date(2025, 3, 31)),
])
def test_twelve_months_before(today, twelve_months_before):
    assert checks.months_before(today, 12) == twelve_months_before


def test_the_report_lists_only_contacts_checked_more_than_twelve_months_ago():
    rows = checks.contacts(known_items())
    assert [(r.id, r.verified_on) for r in checks.not_checked_since(rows, TODAY)] == [("my-red-crescent", LONG_AGO)]
    a_year_ago = checks.months_before(TODAY, 12)
    on_the_day = [checks.ContactRow("x", "contact/x.json", "NP", "hotline", "X", None, None, a_year_ago, None)]
    assert checks.not_checked_since(on_the_day, TODAY) == []  # exactly twelve months: not yet overdue


def test_a_recorded_check_dates_the_contact_and_names_the_society():
    items = known_items()
    path = item_path("contact", "np-police")
    before = dict(items[path])
    checked = checks.checked_item(items[path], society="NP", now=datetime(2026, 11, 27, 9, 30, 5, 123, timezone.utc))
    assert items[path] == before  # the current item is left as it was
    assert (checked["verified_on"], checked["checked_by"], checked["updated_at"]) == (
        "2026-11-27", "NP", "2026-11-27T09:30:05+00:00")
    items[path] = checked
    assert {c.id: c.checked_by for c in build_rows(items).contacts}["np-police"] == "NP"  # it publishes


def test_the_directory_shows_who_a_programme_serves_and_what_it_offers():
    found = directory.programmes(known_items())
    assert [p.id for p in found] == ["nepal-help"]
    nepal = found[0]
    assert nepal.countries == (("NP", "Nepal"),)
    assert nepal.who == "Workers coming home to Nepal."
    assert nepal.offers == "- Referrals to hospitals\n- A call to the family"
    assert nepal.society.name == "Nepal Red Cross Society"


@pytest.mark.parametrize("words, country, expected", [
    ("", "", ["nepal-help"]),
    ("hospitals", "", ["nepal-help"]),
    ("HOSPITALS family", "", ["nepal-help"]),  # every word, any case
    ("hospitals visa", "", []),
    ("nepal", "", ["nepal-help"]),  # the country's name
    ("airport", "", ["nepal-help"]),  # any words of the text
    ("", "NP", ["nepal-help"]),
    ("", "MY", []),
])
def test_the_directory_search(words, country, expected):
    assert [p.id for p in directory.search(directory.programmes(known_items()), words=words, country=country)] == expected
