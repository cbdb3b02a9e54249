"""The store's side of "My changes" and "Add a contact" on SQLite and PostgreSQL: `changes_by`
lists exactly one person's changes, newest first, with what became of each (a reviewer's reason
kept); a contact made by the "Add a contact" form passes the rules `make bundle` applies,
reaches `current_items` only through a second person, and `content export` writes it as files
that read back to the same item."""

from __future__ import annotations

import phonenumbers
import pytest
from sqlmodel import Session

from app.content.item_paths import item_path
from app.content.source import read_source
from app.storage.paths import CONTENT_SOURCE_DIR
from sync_server.editor.source_writer import write_source
from sync_server.editor.store import FourEyes, approve, changes_by, current_items, has_pending_change, propose, reject
from sync_server.editor.web.new_contact import new_contact
from tests.editor_helpers import NP_NOTICE, NP_POLICE, PEOPLE, content_store


def example_number(country: str) -> str:
    """libphonenumber's own example number of a country (never a made-up one), as staff type it."""
    number = phonenumbers.example_number(country)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def contact_form(**changes: str) -> dict[str, str]:
    return {"kind": "national_society", "name": "Nepal Red Cross Society", "phone": example_number("NP"),
            "short_number": "", "website": "https://nrcs.org", "source": "Called the office",
            "verified_on": "2026-11-20", "note": "", **changes}


@pytest.fixture
def engine(tmp_path, server_database):
    engine = content_store(tmp_path)
    yield engine
    engine.dispose()


def test_changes_by_lists_ones_own_changes_newest_first_with_their_outcome(engine):
    author, other, admin = PEOPLE.np_editor, PEOPLE.np_editor_2, PEOPLE.admin
    with Session(engine) as session:
        police = current_items(session)[NP_POLICE]
        notice = current_items(session)[NP_NOTICE]
        first = propose(session, author, NP_POLICE, {**police, "short_number": "112"}, base_version=1)
        approve(session, admin, first.id)
        second = propose(session, author, NP_NOTICE, {**notice, "severity": "danger"}, base_version=1)
        reject(session, other, second.id, "The floods are over.")
        third = propose(session, author, NP_POLICE, {**police, "short_number": "100", "source": "a call"}, base_version=2)
        propose(session, other, NP_NOTICE, {**notice, "severity": "info"}, base_version=1)  # not the author's
        mine = changes_by(session, author)
        assert [change.id for change in mine] == [third.id, second.id, first.id]
        assert [change.status for change in mine] == ["pending", "rejected", "approved"]
        assert mine[1].reason == "The floods are over." and mine[1].reviewer_email == other.email
        assert mine[2].reviewer_email == admin.email
        assert changes_by(session, PEOPLE.my_editor) == []
        # Withdrawing: the store's reject by the author itself.
        assert reject(session, author, third.id, "Withdrawn by its author.").status == "rejected"
        assert changes_by(session, author)[0].status == "rejected"


def test_a_new_contact_is_published_only_after_a_second_person_and_exports_as_it_is(engine, tmp_path):
    author = PEOPLE.np_editor
    with Session(engine) as session:
        items = current_items(session)
        taken = {item["id"] for path, item in items.items() if path.startswith("contact/")}
        made = {form["kind"]: new_contact(form, "NP", taken) for form in (
            contact_form(), contact_form(kind="embassy", name="Embassy of Thailand", for_country="TH", website=""))}
        assert made["national_society"]["id"] == "np-nepal-red-cross-society"
        assert made["national_society"]["phone"].startswith("+977") and " " not in made["national_society"]["phone"]
        for item in made.values():
            path = item_path("contact", item["id"])
            change = propose(session, author, path, item, base_version=0)
            assert change.status == "pending" and path not in current_items(session)
            with pytest.raises(FourEyes):
                approve(session, author, change.id)
            approve(session, PEOPLE.np_editor_2, change.id)
            assert current_items(session)[path] == item
    # The round trip content export / import: the shipped content plus the new contacts.
    shipped = read_source(CONTENT_SOURCE_DIR)
    taken = {item["id"] for path, item in shipped.items() if path.startswith("contact/")}
    for form in (contact_form(name="Nepal Red Cross Society, Kathmandu branch"),
                 contact_form(kind="embassy", name="Embassy of Malaysia", for_country="MY")):
        item = new_contact(form, "NP", taken)
        shipped[item_path("contact", item["id"])] = item
    write_source(shipped, tmp_path / "exported")
    assert read_source(tmp_path / "exported") == shipped


def test_has_pending_change_says_whether_a_draft_of_an_item_waits(engine):
    with Session(engine) as session:
        police = current_items(session)[NP_POLICE]
        assert not has_pending_change(session, NP_POLICE)
        change = propose(session, PEOPLE.np_editor, NP_POLICE, {**police, "short_number": "112"}, base_version=1)
        assert has_pending_change(session, NP_POLICE) and not has_pending_change(session, NP_NOTICE)
        reject(session, PEOPLE.np_editor, change.id, "Withdrawn by its author.")
        assert not has_pending_change(session, NP_POLICE)
