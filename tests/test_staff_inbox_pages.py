"""The caseworker's request page, in process: a referral starts with no Society chosen, lists
Societies by name, says where the request went and refuses a Society nobody reads; the status
form never sends the last message again and says that closing is final; a request's own words
and notes run in their own direction (dir="auto"), its kind of help and countries in words; a
note moves the inbox's "Last change"."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from sync_server.requests.models import HelpRequest
from sync_server.serving.app import create_app
from sync_server.serving.server import Limits
from sync_server.staff.models import StaffAccount
from tests.intake_helpers import CONTACT_ME, idempotency_key, request_body, server_data
from tests.staff_helpers import add_account, csrf_token, log_in

URDU = "براہ کرم شام کے بعد فون کریں"
ARABIC_NOTE = "اتصلنا بالأخت يوم الثلاثاء"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    data = server_data(tmp_path_factory.mktemp("inbox") / "server")
    app = create_app(data / "repository", data=data, limits=Limits(intake_per_minute=100_000))
    engine = app.state.db_engine
    add_account(engine, "np@example.org", society="NP")
    add_account(engine, "bd@example.org", society="BD")
    add_account(engine, "admin@example.org", role="admin", society="NP")
    gone = add_account(engine, "ae@example.org", society="AE")  # Emirates: its only caseworker is disabled
    with Session(engine) as session:
        account = session.get(StaffAccount, gone)
        account.disabled = True
        session.add(account)
        session.commit()
    with TestClient(app) as api, TestClient(app) as caseworker, TestClient(app) as admin:
        assert log_in(caseworker, "np@example.org").status_code == 303
        assert log_in(admin, "admin@example.org").status_code == 303
        yield app, api, caseworker, admin


def _new(world, kind="tracing", fields=None, route=("NP",)) -> str:
    api = world[1]
    answer = api.post("/api/requests", json=request_body(kind, fields, route=list(route)),
                      headers={"Idempotency-Key": idempotency_key()})
    assert answer.status_code == 201, answer.text
    return answer.json()["receipt"]


def _row(world, receipt) -> HelpRequest:
    with Session(world[0].state.db_engine) as session:
        return session.exec(select(HelpRequest).where(HelpRequest.receipt == receipt)).one()


def _post(world, receipt, action, *, who=2, **form):
    caseworker = world[who]
    token = csrf_token(caseworker.get(f"/staff/inbox/{receipt}").text)
    return caseworker.post(f"/staff/inbox/{receipt}/{action}", data=form | {"csrf_token": token},
                           follow_redirects=False)


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_the_referral_starts_with_no_society_and_lists_them_by_name(world):
    receipt = _new(world)
    page = world[2].get(f"/staff/inbox/{receipt}").text
    select_html = page[page.index('<select id="to_society"'):page.index("</select>")]
    options = re.findall(r'<option value="([^"]*)"([^>]*)>([^<]*)</option>', select_html)
    assert options[0] == ("", " selected", "Choose a Society")  # nothing chosen until the caseworker chooses
    named = {code: name for code, _, name in options[1:]}
    assert named["AE"] == "Emirates Red Crescent" and named["BD"] == "Bangladesh Red Crescent Society"
    assert "NP" not in named  # not their own
    assert [name for name in named.values()] == sorted(named.values(), key=str.casefold)


def test_a_referral_with_no_society_chosen_is_refused_and_the_request_stays(world):
    receipt = _new(world)
    answer = _post(world, receipt, "refer", to_society="")
    assert answer.status_code == 303 and _row(world, receipt).society == "NP"
    page = world[2].get(answer.headers["location"]).text
    assert "Choose the Society to refer the request to. The request stays with you." in _text(page)


@pytest.mark.parametrize("code, name", [("TH", "Thai Red Cross Society"), ("AE", "Emirates Red Crescent")])
def test_a_referral_to_a_society_nobody_reads_is_refused(world, code, name):
    receipt = _new(world)  # TH: no caseworker account at all; AE: only a disabled one
    answer = _post(world, receipt, "refer", to_society=code)
    assert answer.status_code == 303 and _row(world, receipt).society == "NP"
    page = _text(world[2].get(answer.headers["location"]).text)
    assert f"{name} has no active caseworker account here, so nobody would read the request." in page


def test_after_a_referral_the_inbox_says_which_society_it_went_to(world):
    receipt = _new(world)
    answer = _post(world, receipt, "refer", to_society="BD")
    assert answer.status_code == 303 and _row(world, receipt).society == "BD"
    inbox = _text(world[2].get(answer.headers["location"]).text)
    assert "The request was referred to Bangladesh Red Crescent Society." in inbox


def test_an_admin_refers_by_name_and_only_where_someone_reads(world):
    receipt = _new(world, route=("OM",))  # Oman has no Society: the request waits for an admin
    admin = world[3]
    page = admin.get(f"/staff/inbox/{receipt}").text
    assert '<option value="" selected>Choose a Society</option>' in page
    assert '<option value="NP">Nepal Red Cross Society</option>' in page
    refused = _post(world, receipt, "refer", who=3, to_society="TH")
    assert refused.headers["location"].endswith("error=refer_nobody&to=TH") and _row(world, receipt).society is None
    assert "Thai Red Cross Society has no active caseworker account here" in _text(admin.get(refused.headers["location"]).text)
    referred = _post(world, receipt, "refer", who=3, to_society="NP")
    assert _row(world, receipt).society == "NP"
    assert "The request was referred to Nepal Red Cross Society." in _text(admin.get(referred.headers["location"]).text)


def test_the_status_form_does_not_send_the_last_message_again_and_says_closing_is_final(world):
    receipt = _new(world)
    assert _post(world, receipt, "status", status="in_progress", message="We will call you Tuesday.").status_code == 303
    page = world[2].get(f"/staff/inbox/{receipt}").text
    assert re.search(r'<textarea id="message"[^>]*></textarea>', page)  # empty: nothing already sent
    assert re.search(r'<blockquote dir="auto" id="sent-message">We will call you Tuesday.</blockquote>', page)
    assert "Closing is final: a closed request cannot be reopened" in _text(page)
    assert not re.search(r'id="status-closed"[^>]*checked', page)  # closing is always a choice made
    # Closing with the box left as it is sends no message, not Tuesday's again.
    assert _post(world, receipt, "status", status="closed", message="").status_code == 303
    assert (_row(world, receipt).status, _row(world, receipt).message) == ("closed", None)
    refused = _post(world, receipt, "status", status="in_progress", message="")
    assert refused.headers["location"].endswith("error=status") and _row(world, receipt).status == "closed"


def test_a_requests_words_and_notes_keep_their_direction_and_codes_show_as_words(world):
    receipt = _new(world, "contact-me", CONTACT_ME | {"message": URDU})
    assert _post(world, receipt, "note", text=ARABIC_NOTE).status_code == 303
    page = world[2].get(f"/staff/inbox/{receipt}").text
    assert f'<dd dir="auto">{URDU}</dd>' in page
    assert f'<p dir="auto">{ARABIC_NOTE}</p>' in page
    assert f'<dd dir="auto">{CONTACT_ME["city"]}</dd>' in page  # every free text, not only the message
    for textarea in re.findall(r"<textarea[^>]*>", page):
        assert 'dir="auto"' in textarea, textarea
    fields = page[page.index("What the person wrote"):page.index("Change the status")]
    assert "<dd>Passport or documents</dd>" in fields and ">documents<" not in fields
    assert "<dd>Oman</dd>" in fields and "<dd>Bangladesh</dd>" in fields and ">BD<" not in fields


def test_the_kinds_of_help_read_as_the_requester_chose_them():
    from app.views.help_requests import help_kind_words  # the phone's words (English)
    from sync_server.inbox.pages import pages

    assert pages._templates.env.get_template("labels.html").module.HELP_KIND == dict(help_kind_words())


def test_a_note_moves_the_inboxs_last_change(world):
    receipt = _new(world)
    with Session(world[0].state.db_engine) as session:
        row = session.exec(select(HelpRequest).where(HelpRequest.receipt == receipt)).one()
        row.updated_at = datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc)
        session.add(row)
        session.commit()

    def last_change() -> str:
        inbox = world[2].get("/staff/inbox").text
        line = inbox[inbox.index(f">{receipt}</a>"):]
        return re.search(r'data-label="Last change">([^<]+)<', line).group(1)

    assert last_change() == "2026-01-02 03:04 UTC"
    assert _post(world, receipt, "note", text="Called back.").status_code == 303
    noted = datetime.strptime(last_change(), "%Y-%m-%d %H:%M UTC").replace(tzinfo=timezone.utc)
    assert datetime.now(timezone.utc) - noted < timedelta(minutes=5)
