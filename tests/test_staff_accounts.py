"""Staff accounts without HTTP: Argon2 hashes, the login slow-down, one-time codes, sessions."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from sqlmodel import Session, select

from sync_server.staff import totp
from sync_server.staff.accounts import AccountError, create_account, disable_account, reset_account, set_totp
from sync_server.staff.login import FREE_TRIES, LoginRefused, SlowDown, authenticate, wait_after
from sync_server.staff.models import LoginThrottle, StaffAccount, StaffSession, utcnow
from sync_server.staff.sessions import IDLE, current_staff, start_session
from tests.staff_helpers import PASSWORD, add_account, memory_engine


@pytest.fixture
def engine():
    return memory_engine()


def test_passwords_are_stored_as_argon2id_hashes(engine):
    add_account(engine, "case@example.org")
    with Session(engine) as session:
        stored = session.exec(select(StaffAccount)).one()
    assert stored.password_hash.startswith("$argon2id$") and PASSWORD not in stored.password_hash


@pytest.mark.parametrize("email, society, role, password, code", [
    ("not-an-email", "NP", "caseworker", PASSWORD, "bad_email"),
    ("a@example.org", "np", "caseworker", PASSWORD, "bad_society"),
    ("a@example.org", "NPL", "caseworker", PASSWORD, "bad_society"),
    ("a@example.org", "NP", "boss", PASSWORD, "bad_role"),
    ("Taken@Example.org", "NP", "editor", PASSWORD, "email_taken"),  # emails compare lower-cased
    ("a@example.org", "NP", "reviewer", PASSWORD, "bad_language"),
])
def test_a_bad_account_is_refused_with_a_code(engine, email, society, role, password, code):
    add_account(engine, "taken@example.org")
    languages = ("ne", "Hindi") if code == "bad_language" else ()
    with Session(engine) as session, pytest.raises(AccountError) as refused:
        create_account(session=session, email=email, society=society, role=role, password=password,
                       languages=languages)
    assert refused.value.code == code


@pytest.mark.parametrize("failures, seconds", [
    (0, 0), (FREE_TRIES - 1, 0), (FREE_TRIES, 2), (FREE_TRIES + 1, 4), (FREE_TRIES + 3, 16), (FREE_TRIES + 40, 900),
])
def test_the_wait_grows_after_five_wrong_tries_and_stays_bounded(failures, seconds):
    assert wait_after(failures) == timedelta(seconds=seconds)


@pytest.mark.parametrize("email", ["case@example.org", "nobody@example.org"])
def test_wrong_passwords_slow_the_next_tries_for_any_email_but_never_lock(engine, email):
    """The sixth try waits, even with the right password; after the wait the right password works.
    An email without an account is slowed exactly alike, so the slow-down tells nobody which exist."""
    add_account(engine, "case@example.org")
    start = utcnow()
    with Session(engine) as session:
        for i in range(FREE_TRIES):
            with pytest.raises(LoginRefused):
                authenticate(session=session, email=email, password="wrong password", now=start + timedelta(seconds=i))
        last = start + timedelta(seconds=FREE_TRIES - 1)
        with pytest.raises(SlowDown) as slowed:
            authenticate(session=session, email=email, password=PASSWORD, now=last + timedelta(seconds=1))
        assert slowed.value.retry_after == 1
        with pytest.raises(LoginRefused):  # after the wait, a wrong password counts again: the next wait is longer
            authenticate(session=session, email=email, password="wrong again", now=last + timedelta(seconds=2))
        with pytest.raises(SlowDown) as slowed:
            authenticate(session=session, email=email, password=PASSWORD, now=last + timedelta(seconds=3))
        assert slowed.value.retry_after == 3
        later = last + timedelta(seconds=6)
        if email == "nobody@example.org":
            with pytest.raises(LoginRefused):
                authenticate(session=session, email=email, password=PASSWORD, now=later)
        else:
            assert authenticate(session=session, email=email, password=PASSWORD, now=later).email == email
            assert session.exec(select(LoginThrottle)).all() == []  # a right login starts the count again


def test_tries_are_counted_under_a_hash_never_the_email(engine):
    with Session(engine) as session, pytest.raises(LoginRefused):
        authenticate(session=session, email="Someone@Example.org", password="wrong")
    with Session(engine) as session:
        (row,) = session.exec(select(LoginThrottle)).all()
    assert "someone" not in row.key.lower() and len(row.key) == 64


def test_a_disabled_account_is_refused_like_a_wrong_password(engine):
    account_id = add_account(engine, "case@example.org")
    with Session(engine) as session:
        disable_account(session=session, account_id=account_id)
        with pytest.raises(LoginRefused):
            authenticate(session=session, email="case@example.org", password=PASSWORD)


def test_the_second_factor_needs_a_fresh_code_from_the_accounts_secret(engine):
    add_account(engine, "case@example.org")
    secret = totp.new_secret()
    now = utcnow()
    code = pyotp.TOTP(secret).at(now)
    with Session(engine) as session:
        account = session.exec(select(StaffAccount)).one()
        set_totp(session=session, account=account, secret=secret, step=None)
        with pytest.raises(LoginRefused):  # password alone
            authenticate(session=session, email="case@example.org", password=PASSWORD, now=now)
        with pytest.raises(LoginRefused):  # another secret's code
            authenticate(session=session, email="case@example.org", password=PASSWORD,
                         code=pyotp.TOTP(totp.new_secret()).at(now), now=now)
        assert authenticate(session=session, email="case@example.org", password=PASSWORD, code=code, now=now)
        with pytest.raises(LoginRefused):  # the same code cannot be used twice
            authenticate(session=session, email="case@example.org", password=PASSWORD, code=code, now=now)


@pytest.mark.parametrize("offset_steps, accepted", [(-2, False), (-1, True), (0, True), (1, True), (2, False)])
def test_a_code_of_the_neighbouring_step_is_accepted_for_clock_drift(offset_steps, accepted):
    secret = totp.new_secret()
    now = 1_800_000_000.0
    code = pyotp.TOTP(secret).at(now + offset_steps * totp.STEP_SECONDS)
    assert (totp.accepted_step(secret, code, last_step=None, now=now) is not None) == accepted


def _session_row(engine) -> tuple[str, int]:
    account_id = add_account(engine, "case@example.org")
    with Session(engine) as session:
        token = start_session(session=session, account=session.get(StaffAccount, account_id))
    return token, account_id


def test_the_cookie_token_is_stored_only_as_a_hash(engine):
    token, _ = _session_row(engine)
    with Session(engine) as session:
        row = session.exec(select(StaffSession)).one()
        assert row.token_hash != token and token not in row.token_hash
        assert current_staff(session=session, token=token).account.email == "case@example.org"
        assert current_staff(session=session, token=token[:-1] + "x") is None


def test_disabling_an_account_ends_its_sessions_at_once(engine):
    token, account_id = _session_row(engine)
    with Session(engine) as session:
        disable_account(session=session, account_id=account_id)
        assert current_staff(session=session, token=token) is None
        assert session.exec(select(StaffSession)).all() == []


@pytest.mark.parametrize("field, shift", [("last_seen_at", -IDLE), ("expires_at", -timedelta(hours=9))])
def test_an_idle_or_expired_session_ends(engine, field, shift):
    token, _ = _session_row(engine)
    with Session(engine) as session:
        row = session.exec(select(StaffSession)).one()
        setattr(row, field, getattr(row, field) + shift)
        session.add(row)
        session.commit()
        assert current_staff(session=session, token=token) is None


def test_a_session_of_a_disabled_account_stops_even_if_its_row_was_left(engine):
    """Disabling deletes the sessions; the check on every request covers a row left behind anyway."""
    token, account_id = _session_row(engine)
    with Session(engine) as session:
        account = session.get(StaffAccount, account_id)
        account.disabled = True
        session.add(account)
        session.commit()
        assert current_staff(session=session, token=token) is None


def test_ended_sessions_are_forgotten_at_the_next_login(engine):
    _session_row(engine)
    with Session(engine) as session:
        row = session.exec(select(StaffSession)).one()
        row.last_seen_at -= IDLE
        session.add(row)
        session.commit()
        start_session(session=session, account=session.get(StaffAccount, row.account_id))
        assert len(session.exec(select(StaffSession)).all()) == 1


def test_a_reset_gives_a_new_password_enables_the_account_and_ends_its_sessions(engine):
    token, account_id = _session_row(engine)
    with Session(engine) as session:
        account = session.get(StaffAccount, account_id)
        set_totp(session=session, account=account, secret=totp.new_secret(), step=None)
        disable_account(session=session, account_id=account_id)
        reset_account(session=session, account_id=account_id, password="a brand new password")
        assert current_staff(session=session, token=token) is None
        with pytest.raises(LoginRefused):
            authenticate(session=session, email="case@example.org", password=PASSWORD)
        # Enabled, and no code asked: the second factor was lost with the device.
        assert authenticate(session=session, email="case@example.org", password="a brand new password")


def test_wrong_passwords_sent_at_once_are_each_counted_or_slowed(tmp_path, server_database):
    """30 tries at the same instant: every password checked is counted, the rest are slowed;
    none is lost and none fails (SQLite and PostgreSQL)."""
    import concurrent.futures

    from sync_server.db import engine_for, migrate_database

    shared = engine_for(tmp_path)
    migrate_database(shared)
    with Session(shared) as session:
        create_account(session=session, email="case@example.org", password=PASSWORD, society="NP", role="caseworker")

    def attempt(_n: int) -> str:
        with Session(shared) as session:
            try:
                authenticate(session=session, email="case@example.org", password="not the password")
            except LoginRefused:
                return "checked"
            except SlowDown:
                return "slowed"
        return "opened"

    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(attempt, range(30)))
    with Session(shared) as session:
        [row] = session.exec(select(LoginThrottle)).all()
    shared.dispose()
    assert answers.count("checked") == row.failures  # every password checked was counted
    assert answers.count("checked") <= FREE_TRIES + 1 and "opened" not in answers
