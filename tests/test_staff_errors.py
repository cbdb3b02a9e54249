"""What a staff member sees when something goes wrong: a form field too long or missing, a
request sealed to a key the server lacks, a slowed login: always a page in plain words (never
FastAPI's JSON or a bare 500), `no-store` like every staff page, and nothing typed in the log."""

from __future__ import annotations

import logging
import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from sync_server.requests.models import HelpRequest
from sync_server.serving.app import create_app
from sync_server.staff.models import LoginThrottle
from sync_server.staff.web.limits import form_page
from sync_server.staff.web.pages import wait_words
from tests.intake_helpers import TRACING, idempotency_key, request_body, server_data
from tests.staff_helpers import add_account, log_in, page_token

NOTE_MAX, MESSAGE_MAX = 2000, 300


@pytest.fixture
def app(tmp_path):
    return create_app(tmp_path / "server" / "repository", data=server_data(tmp_path / "server"))


@pytest.fixture
def caseworker(app):
    add_account(app.state.db_engine, "case@example.org", society="NP")
    with TestClient(app) as client:
        assert log_in(client, "case@example.org").status_code == 303
        yield client


def _new_request(client) -> str:
    answer = client.post("/api/requests", json=request_body("tracing", route=["NP"]),
                         headers={"Idempotency-Key": idempotency_key()})
    assert answer.status_code == 201, answer.text
    return answer.json()["receipt"]


def _is_html_page(answer) -> bool:
    return answer.headers["content-type"].startswith("text/html") and answer.headers["cache-control"] == "no-store" \
        and '"detail"' not in answer.text


def test_a_note_too_long_comes_back_in_its_form_with_the_limit_in_words(caseworker, caplog):
    receipt = _new_request(caseworker)
    token = page_token(caseworker, f"/staff/inbox/{receipt}")
    note = "नेपाली टिप्पणी " * 140  # 2,100 characters of Nepali: past the 2,000 a note may have
    with caplog.at_level(logging.INFO):
        answer = caseworker.post(f"/staff/inbox/{receipt}/note", data={"text": note, "csrf_token": token},
                                 follow_redirects=False)
    assert answer.status_code == 422 and _is_html_page(answer)
    assert "Nothing was saved" in answer.text and "Note: at most 2,000 characters. Yours has 2,100" in answer.text
    # The typed text is in a form that sends it back to the same place, with the same token.
    form = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', answer.text, re.S)
    assert form and form.group(1) == f"/staff/inbox/{receipt}/note"
    assert f'name="csrf_token" value="{token}"' in form.group(2)
    assert re.search(rf'<textarea id="text" name="text" maxlength="{NOTE_MAX}"[^>]*>{note}</textarea>', form.group(2))
    assert f'href="/staff/inbox/{receipt}"' in answer.text  # and a way back to the request
    assert note.split()[0] not in caplog.text  # the log names the field, never what was typed
    assert "text string_too_long" in caplog.text
    shortened = caseworker.post(form.group(1), data={"text": note[:NOTE_MAX], "csrf_token": token},
                                follow_redirects=False)
    assert shortened.status_code == 303


@pytest.mark.parametrize("form, words", [
    ({"status": "in_progress", "message": "m" * (MESSAGE_MAX + 1)},
     "Short message the requester sees: at most 300 characters. Yours has 301"),
    ({"message": "We are looking."}, "New status: this is missing."),
])
def test_a_status_form_refused_says_which_field_and_why(caseworker, form, words):
    receipt = _new_request(caseworker)
    token = page_token(caseworker, f"/staff/inbox/{receipt}")
    answer = caseworker.post(f"/staff/inbox/{receipt}/status", data=form | {"csrf_token": token},
                             follow_redirects=False)
    assert answer.status_code == 422 and _is_html_page(answer)
    assert words in answer.text
    assert f'href="/staff/inbox/{receipt}"' in answer.text


def test_a_login_refused_as_a_form_never_writes_the_password_back(app):
    with TestClient(app) as client:
        page = client.get("/staff/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        answer = client.post("/staff/login", data={"csrf_token": token, "email": "a" * 300 + "@example.org",
                                                   "password": "my secret password"}, follow_redirects=False)
    assert answer.status_code == 422 and _is_html_page(answer)
    assert "Email: at most 254 characters" in answer.text and "my secret password" not in answer.text
    assert "<form method=\"post\" action=\"/staff/login\"" not in answer.text  # only a way back, no form again


def test_the_phone_api_keeps_its_json_errors(app):
    with TestClient(app) as client:
        answer = client.post("/api/requests", json={"kind": "tracing"}, headers={"Idempotency-Key": idempotency_key()})
    assert answer.status_code in (400, 422) and answer.headers["content-type"] == "application/json"


@pytest.mark.parametrize("address, page", [
    ("/staff/inbox/AB12-CD34/note", "/staff/inbox/AB12-CD34"),
    ("/staff/translations/ne/help-in-au", "/staff/translations/ne/help-in-au"),
    ("/staff/content/article/nepal-help?lang=ne", "/staff/content/article/nepal-help?lang=ne"),
    ("/staff/review/12/reject", "/staff/review"),
    ("/staff/admin/accounts/4/disable", "/staff/admin/accounts"),
    ('/staff/"><script>', "/staff/"),
])
def test_a_refused_form_links_back_to_the_page_it_was_on(address, page):
    assert form_page(address) == page


def test_a_request_sealed_to_a_key_the_server_lacks_says_so_in_words(app, caseworker, caplog):
    receipt = _new_request(caseworker)
    with Session(app.state.db_engine) as session:
        row = session.exec(select(HelpRequest).where(HelpRequest.receipt == receipt)).one()
        row.key_id = "retired-key-2025"
        session.add(row)
        session.commit()
    with caplog.at_level(logging.INFO):
        answer = caseworker.get(f"/staff/inbox/{receipt}")
    assert answer.status_code == 500 and _is_html_page(answer)
    assert "cannot be opened on this server" in answer.text and "Tell an administrator" in answer.text
    assert TRACING["sought_name"] not in answer.text
    lines = [record for record in caplog.records if "retired-key-2025" in record.getMessage()]
    assert len(lines) == 1 and lines[0].exc_info is None  # one line naming the key, no traceback
    server_log = " ".join(r.getMessage() for r in caplog.records if r.name.startswith("sync_server"))
    assert receipt not in server_log and TRACING["sought_name"] not in server_log


@pytest.mark.parametrize("seconds, words", [(2, "a minute"), (60, "a minute"), (61, "2 minutes"), (892, "15 minutes"),
                                            (900, "15 minutes")])
def test_a_wait_is_said_in_minutes(seconds, words):
    assert wait_words(seconds) == words


def test_a_slowed_login_says_how_many_minutes_to_wait(app):
    add_account(app.state.db_engine, "case@example.org")
    with TestClient(app) as client:
        for _ in range(5):
            log_in(client, "case@example.org", password="wrong password")
        with Session(app.state.db_engine) as session:  # many wrong tries: the longest wait
            row = session.exec(select(LoginThrottle)).one()
            row.failures = 40
            session.add(row)
            session.commit()
        slowed = log_in(client, "case@example.org")
    assert slowed.status_code == 429
    assert "Wait 15 minutes, then try again." in slowed.text and "seconds" not in slowed.text


def test_the_login_page_says_who_keeps_the_accounts(app):
    """Admins act for every Society (README: the network's own staff), so the page does not send
    anyone to "your National Society's" administrator."""
    add_account(app.state.db_engine, "admin@example.org", role="admin", society="NP")
    with TestClient(app) as client:
        page = client.get("/staff/login").text
        assert log_in(client, "admin@example.org").status_code == 303
        accounts = client.get("/staff/admin/accounts").text
    assert "National Society's Safe Journey administrator" not in page
    assert "administrators of this Safe Journey server" in page
    assert "they see and disable the accounts of every National Society" in accounts
