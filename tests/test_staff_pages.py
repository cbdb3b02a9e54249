"""The shared /staff/ pages over HTTP: login, cookies, CSRF, slow-down, second factor, disabling,
security headers, and the `user` command (the access matrix is in test_staff_access.py)."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from sync_server.db import engine_for
from sync_server.local_process import serving_process
from sync_server.paths import REPO_ROOT
from sync_server.serving.app import create_app
from sync_server.staff.models import AuditEntry, LoginThrottle, StaffAccount
from sync_server.staff.web.limits import STAFF_FORM_MAX_BYTES
from tests.intake_helpers import server_data
from tests.staff_helpers import PASSWORD, add_account, csrf_token, log_in, page_token


@pytest.fixture
def app(tmp_path):
    return create_app(tmp_path / "server" / "repository", data=server_data(tmp_path / "server"))


@pytest.fixture
def engine(app):
    return app.state.db_engine


@pytest.fixture
def client(app):
    with TestClient(app) as client:
        yield client


def _cookie(response: httpx.Response, name: str) -> str:
    (header,) = [h for h in response.headers.get_list("set-cookie") if h.startswith(name + "=")]
    return header


def test_a_login_sets_an_httponly_strict_session_cookie_and_opens_the_pages(engine, client):
    add_account(engine, "case@example.org")
    answer = log_in(client, "case@example.org")
    assert answer.status_code == 303 and answer.headers["location"] == "/staff/"
    cookie = _cookie(answer, "sj_staff").lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/staff" in cookie
    assert "secure" not in cookie  # plain http on loopback: a Secure cookie would never come back
    home = client.get("/staff/")
    assert home.status_code == 200 and "logged in as a caseworker" in home.text


def test_over_https_the_cookies_are_secure(app, engine):
    add_account(engine, "case@example.org")
    with TestClient(app, base_url="https://testserver") as client:
        answer = log_in(client, "case@example.org")
    assert "secure" in _cookie(answer, "sj_staff").lower()


def test_logging_out_ends_the_session_on_the_server(engine, client):
    add_account(engine, "case@example.org")
    log_in(client, "case@example.org")
    token = client.cookies["sj_staff"]
    client.post("/staff/logout", data={"csrf_token": page_token(client)}, follow_redirects=False)
    client.cookies.set("sj_staff", token, path="/staff")  # a copied cookie is worth nothing now
    assert client.get("/staff/", follow_redirects=False).headers["location"] == "/staff/login"


@pytest.mark.parametrize("sent", [None, "", "forged-token"])
def test_a_login_without_the_forms_token_is_refused(engine, client, sent):
    add_account(engine, "case@example.org")
    client.get("/staff/login")
    data = {"email": "case@example.org", "password": PASSWORD} | ({"csrf_token": sent} if sent is not None else {})
    answer = client.post("/staff/login", data=data, follow_redirects=False)
    assert answer.status_code == 403 and "sj_staff" not in answer.headers.get("set-cookie", "")


def test_a_wrong_password_is_slowed_after_five_and_says_when_to_try_again(engine, client):
    add_account(engine, "case@example.org")
    for _ in range(5):  # the issue: "after 5 wrong passwords the next tries are slowed"
        answer = log_in(client, "case@example.org", password="wrong password")
        assert answer.status_code == 401 and "not right" in answer.text
    slowed = log_in(client, "case@example.org")  # even the right password waits
    assert slowed.status_code == 429 and int(slowed.headers["retry-after"]) >= 1
    assert "too many wrong tries" in slowed.text.lower() and "sj_staff" not in slowed.headers.get("set-cookie", "")
    with Session(engine) as session:  # the wait is over (moved back in time): the right password works
        row = session.exec(select(LoginThrottle)).one()
        row.last_failure_at = row.last_failure_at.replace(year=row.last_failure_at.year - 1)
        session.add(row)
        session.commit()
    assert log_in(client, "case@example.org").status_code == 303


def test_an_unknown_email_gets_the_same_answer_as_a_wrong_password(engine, client):
    add_account(engine, "case@example.org")
    unknown = log_in(client, "nobody@example.org", password="wrong password")
    wrong = log_in(client, "case@example.org", password="wrong password")
    assert (unknown.status_code, unknown.text.replace(csrf_token(unknown.text), "")) == \
           (wrong.status_code, wrong.text.replace(csrf_token(wrong.text), ""))


def test_staff_pages_carry_security_headers_and_are_never_stored(engine, client):
    add_account(engine, "case@example.org")
    login_page = client.get("/staff/login")
    log_in(client, "case@example.org")
    for answer in (login_page, client.get("/staff/"), client.get("/staff/account/second-factor")):
        assert answer.headers["cache-control"] == "no-store"
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        assert "script-src" not in answer.headers["content-security-policy"]  # default-src 'none': no scripts
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["x-content-type-options"] == "nosniff"
    assert "cache-control" not in client.get("/health").headers  # the repository keeps its own caching


def test_a_caseworker_turns_on_the_second_factor_and_then_needs_a_code(engine, client):
    add_account(engine, "case@example.org")
    log_in(client, "case@example.org")
    page = client.get("/staff/account/second-factor")
    secret = page.text.split('<code class="secret">')[1].split("<")[0]
    wrong = client.post("/staff/account/second-factor", data={"csrf_token": csrf_token(page.text), "code": "000000"})
    assert "not right" in wrong.text
    client.post("/staff/account/second-factor",
                data={"csrf_token": csrf_token(page.text), "code": pyotp.TOTP(secret).now()})
    assert "The second factor is on" in client.get("/staff/account/second-factor").text
    client.post("/staff/logout", data={"csrf_token": page_token(client)})
    assert log_in(client, "case@example.org").status_code == 401  # password alone no longer opens it
    with Session(engine) as session:  # next step's code (the one just used cannot be used again)
        account = session.exec(select(StaffAccount)).one()
        code = pyotp.TOTP(secret).generate_otp(account.totp_last_step + 1)
    assert log_in(client, "case@example.org", code=code).status_code == 303


def test_an_admin_disables_an_account_and_its_open_session_stops_at_once(engine, client, tmp_path):
    add_account(engine, "admin@example.org", role="admin")
    case_id = add_account(engine, "case@example.org")
    log_in(client, "admin@example.org")
    with TestClient(client.app) as caseworker:
        log_in(caseworker, "case@example.org")
        assert caseworker.get("/staff/").status_code == 200
        accounts = client.get("/staff/admin/accounts")
        assert "case@example.org" in accounts.text
        client.post(f"/staff/admin/accounts/{case_id}/disable", data={"csrf_token": csrf_token(accounts.text)})
        assert caseworker.get("/staff/", follow_redirects=False).headers["location"] == "/staff/login"
        assert log_in(caseworker, "case@example.org").status_code == 401
    with Session(engine) as session:
        actions = [entry.action for entry in session.exec(select(AuditEntry))]
    assert "account_disable" in actions and "accounts_view" in actions


def test_the_audit_log_names_accounts_by_id_never_by_email(engine, client):
    add_account(engine, "case@example.org")
    log_in(client, "case@example.org", password="wrong password")
    log_in(client, "case@example.org")
    with Session(engine) as session:
        entries = session.exec(select(AuditEntry)).all()
    assert [e.action for e in entries] == ["login_refused", "login"]
    assert not any("example.org" in str(e.model_dump()) for e in entries)


def _user(*args: str, password: str = PASSWORD) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sync_server", "user", *args], input=password + "\n",
                          capture_output=True, text=True, cwd=REPO_ROOT, timeout=180)


def test_user_add_disable_and_reset_work_against_a_real_server_on_loopback(tmp_path):
    data = tmp_path / "server"
    added = _user("add", "--ns", "NP", "--role", "caseworker", "--email", "case@example.org",
                  "--password-stdin", "--data", str(data))
    assert added.returncode == 0, added.stderr
    assert "case@example.org" not in added.stdout  # the terminal may be logged: ids only
    again = _user("add", "--ns", "NP", "--role", "caseworker", "--email", "Case@example.org",
                  "--password-stdin", "--data", str(data))
    assert again.returncode == 2 and "already exists" in again.stderr
    reviewer = _user("add", "--ns", "NP", "--role", "reviewer", "--email", "r@example.org", "--lang", "ne",
                     "--lang", "hi", "--password-stdin", "--data", str(data))
    assert reviewer.returncode == 0, reviewer.stderr
    short = _user("add", "--ns", "NP", "--role", "editor", "--email", "e@example.org", "--password-stdin",
                  "--data", str(data), password="short")
    assert short.returncode == 2 and "at least 12" in short.stderr
    with serving_process(data) as server, httpx.Client(base_url=server.base, timeout=60) as http:
        assert log_in(http, "case@example.org").status_code == 303
        assert http.get("/staff/").status_code == 200
        disabled = _user("disable", "--email", "case@example.org", "--data", str(data))
        assert disabled.returncode == 0, disabled.stderr
        assert http.get("/staff/", follow_redirects=False).headers["location"] == "/staff/login"
        reset = _user("reset", "--email", "case@example.org", "--password-stdin", "--data", str(data),
                      password="a brand new password")
        assert reset.returncode == 0, reset.stderr  # enabled again, with the new password only
        assert log_in(http, "case@example.org").status_code == 401
        assert log_in(http, "case@example.org", password="a brand new password").status_code == 303
    engine = engine_for(data)
    with Session(engine) as session:
        languages = session.exec(select(StaffAccount.languages).where(StaffAccount.role == "reviewer")).one()
    engine.dispose()
    assert languages == "ne,hi"


def test_a_form_body_must_arrive_in_time_and_be_small(tmp_path):
    """Bodies are taken now (staff forms), but a dripped one is cut off and a big one refused at once."""
    import socket

    with serving_process(tmp_path / "server", options=("--header-timeout", "1")) as server:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as dripping:
            dripping.sendall(b"POST /staff/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                             b"Content-Length: 100\r\n\r\nemail=")
            reply = dripping.recv(4096)
            assert reply.startswith(b"HTTP/1.1 408"), reply
        too_big = httpx.post(f"{server.base}/staff/login", content=b"a" * (STAFF_FORM_MAX_BYTES + 1), timeout=60)
        assert too_big.status_code == 413 and "too long to save" in too_big.text


@pytest.mark.parametrize("society, says", [("OM", "no National Society"), ("np", "two-letter"), ("XX", "no National Society")])
def test_user_add_refuses_a_society_the_content_does_not_have(tmp_path, society, says):
    """Oman has no Society in the content: a caseworker there would never get a request."""
    refused = _user("add", "--ns", society, "--role", "caseworker", "--email", "c@example.org", "--password-stdin",
                    "--data", str(tmp_path))
    assert refused.returncode == 2 and says in refused.stderr
