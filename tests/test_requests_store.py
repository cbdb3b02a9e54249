"""The requests store the caseworker pages call, on SQLite and on PostgreSQL: a caseworker sees
only their Society's requests, opens one in memory, adds notes sealed to the current key,
moves it on, refers it (kept in its history); `purge` deletes closed requests after N days."""

import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import Session, select

from sync_server.db import engine_for, migrate_database
from sync_server.paths import REPO_ROOT, REQUEST_KEYS_FILE
from sync_server.requests import store
from sync_server.requests.keys import decode_sealed, load_keyring
from sync_server.requests.models import HelpRequest, Referral, RequestNote
from tests.intake_helpers import CONTACT_ME, TRACING, idempotency_key, request_body, server_data


@pytest.fixture
def data(tmp_path, server_database):
    return server_data(tmp_path / "data")


@pytest.fixture
def session(data):
    engine = engine_for(data)
    migrate_database(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()


@pytest.fixture
def keyring(data):
    return load_keyring(data, REQUEST_KEYS_FILE)


def _receive(session, kind="tracing", society="NP") -> str:
    body = request_body(kind)
    status, new = store.receive(session, idempotency_key=idempotency_key(), body_hash=body["sealed"][:64], kind=kind,
                                route=body["route"], society=society, key_id=body["key_id"],
                                sealed=decode_sealed(body["sealed"]))
    assert new
    return status.receipt


def _proof(session, receipt: str) -> str:
    """What only the requester's phone holds: the request's idempotency key."""
    return session.exec(select(HelpRequest.idempotency_key).where(HelpRequest.receipt == receipt)).one()


def test_a_caseworker_sees_and_opens_only_their_societys_requests(session, keyring):
    nepal, bangladesh = _receive(session), _receive(session, "contact-me", "BD")
    assert [row.receipt for row in store.inbox(session, "NP")] == [nepal]
    assert {row.receipt for row in store.inbox(session, None)} == {nepal, bangladesh}  # an admin
    [row] = store.inbox(session, "BD")
    assert (row.kind, row.status, row.society) == ("contact-me", "delivered", "BD")
    opened = store.open_request(session, nepal, "NP", keyring=keyring)
    assert (opened.kind, opened.fields, opened.notes, opened.referrals) == ("tracing", TRACING, [], [])
    with pytest.raises(store.NotYourSociety):
        store.open_request(session, bangladesh, "NP", keyring=keyring)
    with pytest.raises(store.UnknownRequest):
        store.open_request(session, "0000-0000-0000-0000", None, keyring=keyring)


def test_notes_are_sealed_to_the_current_key(session, keyring):
    receipt = _receive(session)
    store.add_note(session, receipt, "NP", "caseworker@example.org", "Spoke to the sister on Tuesday.", keyring=keyring)
    [note] = session.exec(select(RequestNote)).all()
    assert note.key_id == keyring.current_id
    assert b"Spoke to the sister" not in note.sealed
    opened = store.open_request(session, receipt, "NP", keyring=keyring)
    assert [(n.author, n.text) for n in opened.notes] == [("caseworker@example.org", "Spoke to the sister on Tuesday.")]
    with pytest.raises(store.NotYourSociety):
        store.add_note(session, receipt, "BD", "other@example.org", "x", keyring=keyring)


def test_a_note_or_a_referral_is_a_change_staff_see_but_not_the_requester(session, keyring):
    receipt = _receive(session)
    row = session.exec(select(HelpRequest).where(HelpRequest.receipt == receipt)).one()
    row.updated_at = datetime.now(timezone.utc) - timedelta(days=3)  # received three days ago
    session.add(row)
    session.commit()
    [before] = store.inbox(session, "NP")
    store.add_note(session, receipt, "NP", "caseworker@example.org", "Called the sister.", keyring=keyring)
    [noted] = store.inbox(session, "NP")
    assert noted.last_change > before.last_change and noted.last_change > datetime.now(timezone.utc) - timedelta(minutes=5)
    assert store.open_request(session, receipt, "NP", keyring=keyring).last_change == noted.last_change
    assert store.status_of(session, receipt, proof=_proof(session, receipt)).updated_at == before.updated_at  # the requester sees no change
    store.refer(session, receipt, "NP", "BD")
    [referred] = store.inbox(session, "BD")
    assert referred.last_change >= noted.last_change


def test_status_message_and_referral(session, keyring):
    receipt = _receive(session, "contact-me", "BD")
    store.set_status(session, receipt, "BD", "in_progress", message="We will call you this week.")
    status = store.status_of(session, receipt, proof=_proof(session, receipt))
    assert (status.status, status.message) == ("in_progress", "We will call you this week.")
    with pytest.raises(store.InvalidStatus):
        store.set_status(session, receipt, "BD", "withdrawn")
    with pytest.raises(store.MessageTooLong):
        store.set_status(session, receipt, "BD", "closed", message="x" * 501)
    with pytest.raises(store.UnknownSociety):
        store.refer(session, receipt, "BD", "OM")  # Oman has no National Society
    store.refer(session, receipt, "BD", "NP")
    assert store.inbox(session, "BD") == []
    opened = store.open_request(session, receipt, "NP", keyring=keyring)
    assert [(r.from_society, r.to_society) for r in opened.referrals] == [("BD", "NP")]
    assert opened.fields == CONTACT_ME


def test_a_withdrawn_request_takes_nothing_more(session, keyring):
    receipt = _receive(session)
    store.withdraw(session, receipt, proof=_proof(session, receipt))
    assert store.open_request(session, receipt, "NP", keyring=keyring).fields == {}
    with pytest.raises(store.RequestWithdrawn):
        store.add_note(session, receipt, "NP", "caseworker@example.org", "x", keyring=keyring)
    with pytest.raises(store.RequestWithdrawn):
        store.set_status(session, receipt, "NP", "closed")


def test_only_the_requesters_proof_reads_or_withdraws_a_request(session, keyring):
    receipt, other = _receive(session), _receive(session)
    for proof in (None, "", idempotency_key(), _proof(session, other)):
        with pytest.raises(store.UnknownRequest):
            store.status_of(session, receipt, proof=proof)
        with pytest.raises(store.UnknownRequest):
            store.withdraw(session, receipt, proof=proof)
    assert store.open_request(session, receipt, "NP", keyring=keyring).fields == TRACING
    with pytest.raises(store.UnknownRequest):
        store.withdraw(session, "ABCD-EFGH-JKMN-PQRS", proof=_proof(session, receipt))
    assert store.withdraw(session, receipt.lower(), proof=_proof(session, receipt)).status == "withdrawn"


def test_purge_deletes_closed_and_withdrawn_requests_after_the_retention(session, data, keyring):
    old_closed, old_open, new_closed, old_withdrawn = (_receive(session) for _ in range(4))
    store.add_note(session, old_closed, "NP", "caseworker@example.org", "note", keyring=keyring)
    store.refer(session, old_closed, "NP", "MY")
    store.set_status(session, old_closed, None, "closed")
    store.set_status(session, new_closed, None, "closed")
    store.withdraw(session, old_withdrawn, proof=_proof(session, old_withdrawn))
    long_ago = datetime.now(timezone.utc) - timedelta(days=91)
    for row in session.exec(select(HelpRequest).where(HelpRequest.receipt.in_([old_closed, old_open, old_withdrawn]))):
        row.updated_at = long_ago
        session.add(row)
    session.commit()
    # The cron command, as a process, on the same database.
    result = subprocess.run([sys.executable, "-m", "sync_server", "purge", "--data", str(data)],
                            cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "2"
    session.expire_all()
    assert {row.receipt for row in store.inbox(session, None)} == {old_open, new_closed}
    assert session.exec(select(RequestNote)).all() == [] and session.exec(select(Referral)).all() == []
    assert store.purge_closed(session, older_than_days=0) == 1  # new_closed, with a shorter retention



def test_a_withdrawn_requests_sealed_bytes_leave_the_sqlite_files_at_once(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    data = server_data(tmp_path / "data")
    engine = engine_for(data)
    migrate_database(engine)
    with Session(engine) as session, Session(engine) as other:
        other.exec(select(HelpRequest)).all()  # another connection stays open: the files stay in WAL mode
        receipts = [_receive(session) for _ in range(3)]
        sealed = session.exec(select(HelpRequest.sealed).where(HelpRequest.receipt == receipts[1])).one()
        other.rollback()

        def files_holding() -> list[str]:
            return [path.name for path in data.glob("server.db*") if sealed[40:80] in path.read_bytes()]

        assert files_holding()  # where it is before
        store.withdraw(session, receipts[1], proof=_proof(session, receipts[1]))
        assert files_holding() == []
        assert store.status_of(session, receipts[0], proof=_proof(session, receipts[0])).status == "delivered"
    engine.dispose()
