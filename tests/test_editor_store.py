"""The content store (issue 14) on SQLite and PostgreSQL: a change reaches the approved state
only through a second person, is checked with the rules `make bundle` applies, stays inside
the editor's country, never overwrites a newer version, and is audited; versions only go forward."""

from __future__ import annotations

import copy

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import Session, SQLModel, select

from sync_server.db import engine_for, migrate_database
from sync_server.editor.models import ContentChange, ContentVersion
from sync_server.editor.store import (
    EditRefused,
    FourEyes,
    NotAllowed,
    StaleChange,
    StoreNotEmpty,
    approve,
    current,
    current_items,
    editor_from_staff,
    history,
    import_items,
    item_countries,
    item_diff,
    may_edit,
    needs_second_person,
    pending,
    propose,
    reject,
    restore,
)
from sync_server.staff.models import AuditEntry, Role
from tests.editor_helpers import (
    MY_EMERGENCY,
    NP_ARTICLE,
    NP_NOTICE,
    NP_POLICE,
    NP_TEXT,
    PEOPLE,
    content_store,
    small_items,
)

THAI_TEXT = "text/th/passport-taken.json"


@pytest.fixture
def engine(tmp_path, server_database):
    engine = content_store(tmp_path)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    engine = content_store(tmp_path)
    yield engine
    engine.dispose()


def _edited(path: str, **fields) -> dict:
    item = copy.deepcopy(small_items()[path])
    item.update(fields)
    return item


def test_migration_0003_makes_the_content_tables_the_models_describe(tmp_path, server_database):
    engine = engine_for(tmp_path)
    migrate_database(engine)
    only_content = {"compare_type": True,
                    "include_name": lambda name, kind, _parent: kind != "table" or name.startswith("content_"),
                    "include_object": lambda _obj, name, kind, _r, _o: kind != "table" or name.startswith("content_")}
    with engine.connect() as connection:
        assert {"content_item", "content_version", "content_change"} <= set(connection.dialect.get_table_names(connection))
        differences = compare_metadata(MigrationContext.configure(connection, opts=only_content), SQLModel.metadata)
    engine.dispose()
    assert differences == []


def test_an_edit_reaches_the_approved_state_only_through_a_second_person(engine):
    people = PEOPLE
    with Session(engine) as session:
        change = propose(session, people.np_editor, NP_TEXT, _edited(NP_TEXT, title="Help in Nepal, checked"),
                         base_version=1, note="title checked")
        assert change.status == "pending" and change.author_email == people.np_editor.email
        assert current_items(session)[NP_TEXT]["title"] == "Help in Nepal"  # a draft publishes nothing
        with pytest.raises(FourEyes):
            approve(session, people.np_editor, change.id)
        assert [c.id for c in pending(session, people.np_editor_2)] == [change.id]
        assert pending(session, people.np_editor) == []  # nobody reviews their own change
        assert pending(session, people.my_editor) == []  # nor another Society's
        version = approve(session, people.np_editor_2, change.id)
        assert (version.version, version.author_email, version.approved_by_email) == (
            2, people.np_editor.email, people.np_editor_2.email)
        assert current_items(session)[NP_TEXT]["title"] == "Help in Nepal, checked"
        assert current(session, NP_TEXT).version == 2
        assert [v.version for v in history(session, NP_TEXT)] == [2, 1]
        actions = [(e.account_id, e.action, e.target) for e in session.exec(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions[1:] == [(1, "content_propose", f"change {change.id}"), (2, "content_approve", f"change {change.id}")]


def test_contacts_and_notices_always_need_a_second_person(sqlite_engine, monkeypatch):
    monkeypatch.setenv("SAFE_JOURNEY_FOUR_EYES", "contacts_and_notices")
    assert not needs_second_person(NP_TEXT)
    assert needs_second_person(NP_POLICE) and needs_second_person(NP_NOTICE)
    with Session(sqlite_engine) as session:
        text = propose(session, PEOPLE.np_editor, NP_TEXT, _edited(NP_TEXT, title="Help in Nepal today"), base_version=1)
        contact = propose(session, PEOPLE.np_editor, NP_POLICE, _edited(NP_POLICE, short_number="102",
                                                                          services=["ambulance"]), base_version=1)
        notice = propose(session, PEOPLE.np_editor, NP_NOTICE, _edited(NP_NOTICE, severity="danger"), base_version=1)
        assert text.status == "approved" and current(session, NP_TEXT).version == 2
        assert (contact.status, notice.status) == ("pending", "pending")
        assert current_items(session)[NP_POLICE]["short_number"] == "100"
    monkeypatch.delenv("SAFE_JOURNEY_FOUR_EYES")
    assert needs_second_person(NP_TEXT)  # the default: every kind


def test_a_change_made_from_an_older_version_is_refused(engine):
    with Session(engine) as session:
        first = propose(session, PEOPLE.np_editor, NP_TEXT, _edited(NP_TEXT, title="First"), base_version=1)
        second = propose(session, PEOPLE.np_editor_2, NP_TEXT, _edited(NP_TEXT, title="Second"), base_version=1)
        approve(session, PEOPLE.admin, first.id)
        with pytest.raises(StaleChange):
            approve(session, PEOPLE.np_editor, second.id)
        with pytest.raises(StaleChange):
            propose(session, PEOPLE.np_editor, NP_TEXT, _edited(NP_TEXT, title="Third"), base_version=1)
        assert current_items(session)[NP_TEXT]["title"] == "First"
        assert [v.version for v in history(session, NP_TEXT)] == [2, 1]


_HUGE_BODY = "Stay safe. " * (5 * 1024 * 1024 // 11)  # a 5 MB article text


@pytest.mark.parametrize(("path", "fields", "field"), [
    (NP_POLICE, {"short_number": "10 0"}, "short_number"),
    (NP_POLICE, {"short_number": "123"}, "short_number"),  # digits, but no emergency number in Nepal
    ("contact/my-red-crescent.json", {"phone": "+60 3 1234"}, "phone"),
    (NP_POLICE, {"source": ""}, "source"),
    (NP_ARTICLE, {"source": ""}, "source"),
    (NP_TEXT, {"body": "See ![map](https://maps.example.org/np.png)"}, "body"),
    (NP_TEXT, {"body": "[Open the form](javascript:alert(document.cookie))"}, "body"),
    (NP_TEXT, {"body": _HUGE_BODY}, "body"),
    (NP_NOTICE, {"starts": "2026-12-31", "ends": "2026-12-01"}, "ends"),
    (NP_TEXT, {"title": ""}, "title"),
    (NP_ARTICLE, {"related": ["no-such-article"]}, "related"),
])
def test_a_bad_edit_is_refused_naming_the_field_and_nothing_is_saved(sqlite_engine, path, fields, field):
    with Session(sqlite_engine) as session:
        before = current_items(session)
        with pytest.raises(EditRefused) as refused:
            propose(session, PEOPLE.admin, path, _edited(path, **fields), base_version=1)
        assert refused.value.field == field
        assert len(refused.value.message) <= 301 and "Stay safe. Stay safe. Stay safe." not in refused.value.message
        assert current_items(session) == before
        assert session.exec(select(ContentChange)).all() == []


def test_an_editor_changes_only_their_own_countrys_items(sqlite_engine):
    items = small_items()
    assert item_countries(NP_TEXT, items[NP_TEXT], items) == {"NP"}  # a text: its article's countries
    assert item_countries("text/en/passport-taken.json", items["text/en/passport-taken.json"], items) == set()
    np, my = PEOPLE.np_editor, PEOPLE.my_editor
    assert may_edit(np, NP_POLICE, items[NP_POLICE]) and not may_edit(np, MY_EMERGENCY, items[MY_EMERGENCY])
    assert may_edit(np, NP_TEXT, items[NP_TEXT], items) and not may_edit(my, NP_TEXT, items[NP_TEXT], items)
    assert not may_edit(np, "topic/prepare.json", items["topic/prepare.json"])  # everyone's: admins only
    assert may_edit(PEOPLE.admin, "topic/prepare.json", items["topic/prepare.json"])
    assert may_edit(PEOPLE.thai_reviewer, THAI_TEXT, items[THAI_TEXT], items)
    assert not may_edit(PEOPLE.thai_reviewer, NP_TEXT, items[NP_TEXT], items)
    assert not may_edit(PEOPLE.caseworker, NP_POLICE, items[NP_POLICE])
    with Session(sqlite_engine) as session:
        with pytest.raises(NotAllowed):
            propose(session, np, MY_EMERGENCY, _edited(MY_EMERGENCY, short_number="112"), base_version=1)
        with pytest.raises(NotAllowed):  # nor move their own contact into another country
            propose(session, np, NP_POLICE, _edited(NP_POLICE, country="MY", short_number="999"), base_version=1)
        with pytest.raises(NotAllowed):
            propose(session, PEOPLE.caseworker, NP_TEXT, _edited(NP_TEXT, title="Changed"), base_version=1)
        change = propose(session, np, NP_POLICE, _edited(NP_POLICE, short_number="102", services=["ambulance"]),
                         base_version=1)
        with pytest.raises(NotAllowed):
            approve(session, my, change.id)
        assert current_items(session)[NP_POLICE]["short_number"] == "100"
        thai = propose(session, PEOPLE.thai_reviewer, THAI_TEXT, _edited(THAI_TEXT, reviewed=True), base_version=1)
        assert [c.id for c in pending(session, PEOPLE.admin)] == [change.id, thai.id]
        assert [c.id for c in pending(session, PEOPLE.np_editor_2)] == [change.id]


def test_a_restore_is_a_new_version_holding_the_old_item(engine):
    with Session(engine) as session:
        original = current(session, NP_POLICE).item
        changed = propose(session, PEOPLE.np_editor, NP_POLICE,
                          _edited(NP_POLICE, short_number="102", services=["ambulance"]), base_version=1)
        approve(session, PEOPLE.np_editor_2, changed.id)
        back = restore(session, PEOPLE.np_editor_2, NP_POLICE, 1)
        assert (back.status, back.base_version, back.restores_version) == ("pending", 2, 1)
        version = approve(session, PEOPLE.np_editor, back.id)
        assert version.version == 3 and version.item == original
        assert current_items(session)[NP_POLICE] == original
        assert [(v.version, v.item["short_number"]) for v in history(session, NP_POLICE)] == [
            (3, "100"), (2, "102"), (1, "100")]
        actions = [e.action for e in session.exec(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions[-2:] == ["content_restore", "content_approve"]


def test_a_rejected_change_publishes_nothing_and_says_why(sqlite_engine):
    with Session(sqlite_engine) as session:
        change = propose(session, PEOPLE.np_editor, NP_TEXT, _edited(NP_TEXT, title="Wrong"), base_version=1)
        with pytest.raises(NotAllowed):
            reject(session, PEOPLE.my_editor, change.id, "not yours")
        closed = reject(session, PEOPLE.np_editor_2, change.id, "The title is not checked.")
        assert (closed.status, closed.reviewer_email, closed.reason) == (
            "rejected", PEOPLE.np_editor_2.email, "The title is not checked.")
        assert current(session, NP_TEXT).version == 1 and pending(session, PEOPLE.admin) == []
        assert session.exec(select(ContentVersion).where(ContentVersion.path == NP_TEXT)).all()[-1].version == 1


def test_a_deletion_is_a_version_without_an_item(sqlite_engine):
    with Session(sqlite_engine) as session:
        change = propose(session, PEOPLE.admin, NP_NOTICE, None, base_version=1)
        approve(session, PEOPLE.np_editor, change.id)
        assert NP_NOTICE not in current_items(session)
        assert current(session, NP_NOTICE).item is None and current(session, NP_NOTICE).version == 2
        with pytest.raises(EditRefused):  # an article its texts need cannot go alone
            propose(session, PEOPLE.admin, NP_ARTICLE, None, base_version=1)


def test_the_diff_shows_the_lines_that_changed():
    items = small_items()
    new = dict(items[NP_TEXT], body="Ask the Nepal Red Cross Society before you go.\n\nCall 100 for the police.")
    diff = item_diff(items[NP_TEXT], new)
    assert "+  Call 100 for the police." in diff
    assert "-body: Ask the Nepal Red Cross Society before you go." in diff
    assert item_diff(items[NP_TEXT], items[NP_TEXT]) == []


def test_an_import_never_overwrites_a_store_that_holds_content(sqlite_engine):
    with Session(sqlite_engine) as session:
        with pytest.raises(StoreNotEmpty):
            import_items(session, small_items())


def test_the_logged_in_staff_member_becomes_an_editor(tmp_path, monkeypatch):
    from sync_server.staff.accounts import create_account
    from sync_server.staff.sessions import current_staff, start_session

    monkeypatch.delenv("DATABASE_URL", raising=False)
    engine = engine_for(tmp_path)
    migrate_database(engine)
    with Session(engine) as session:
        reviewer = create_account(session=session, email="Reviewer@Example.org", society="NP", role="reviewer",
                                  password="a long staff password", languages=("ne", "hi"))
        admin = create_account(session=session, email="admin@example.org", society="NP", role="admin",
                               password="a long staff password")
        editors = [editor_from_staff(current_staff(session=session, token=start_session(session=session, account=a)))
                   for a in (reviewer, admin)]
    engine.dispose()
    assert (editors[0].role, editors[0].society, editors[0].languages, editors[0].email) == (
        Role.reviewer, "NP", ("ne", "hi"), "reviewer@example.org")
    assert (editors[1].role, editors[1].society) == (Role.admin, None)
