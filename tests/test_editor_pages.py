"""The staff editor's pages (/staff/content, /staff/review, /staff/history): an access matrix of
anonymous, an editor of the Nepal Red Cross (NP), an editor of the Malaysian Red Crescent (MY),
a caseworker of Nepal's Society and an admin × every page and every action — each gets exactly
its answer, a change someone may not make leaves the store as it was, no POST goes through
without the form's CSRF token. Bad input is refused with a message next to the field it names,
the typed form kept and nothing saved. All of it three times: in process, and against a real
`serve` on loopback on SQLite and on PostgreSQL."""

from __future__ import annotations

import contextlib
import re
import secrets

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from sync_server.db import engine_for, migrate_database
from sync_server.editor import store
from sync_server.editor.models import ContentChange
from sync_server.local_process import serving_process
from sync_server.serving.app import create_app
from sync_server.staff.models import AuditEntry, Role
from tests.editor_helpers import NP_NOTICE, NP_POLICE, NP_TEXT, small_items
from tests.intake_helpers import server_data
from sync_server.staff.accounts import create_account
from tests.staff_helpers import PASSWORD, add_account, csrf_token, log_in

PRINCIPALS = ("anonymous", "editor_np", "editor_my", "caseworker_np", "admin")
ACCOUNTS = {"editor_np": ("editor", "NP"), "editor_my": ("editor", "MY"), "caseworker_np": ("caseworker", "NP"),
            "admin": ("admin", "NP"), "author_np": ("editor", "NP")}
NP_ONLY = {"anonymous": "login", "editor_np": 200, "admin": 200, "*": 403}
EVERY_EDITOR = {"anonymous": "login", "caseworker_np": 403, "*": 200}


class World:
    """One server holding the small content set (tests/editor_helpers.py) with an account per
    principal; each principal browses with its own cookies. `author_np` writes drafts to review."""

    def __init__(self, tmp_path, mode: str, stack: contextlib.ExitStack):
        data = server_data(tmp_path / "server")
        if mode == "in-process":
            self.app = create_app(data / "repository", data=data)
            self.engine = self.app.state.db_engine
            client = lambda: TestClient(self.app)  # noqa: E731
        else:
            self.engine = engine_for(data)
            migrate_database(self.engine)
            stack.callback(self.engine.dispose)
            server = stack.enter_context(serving_process(data))
            client = lambda: httpx.Client(base_url=server.base, timeout=60)  # noqa: E731  (a busy machine)
        self.mode = mode
        with Session(self.engine) as session:
            store.import_items(session, small_items())
        self.ids = {name: add_account(self.engine, f"{name}@example.org", role=role, society=society)
                    for name, (role, society) in ACCOUNTS.items()}
        with Session(self.engine) as session:  # a reviewer of Thai texts, of Thailand's Society
            self.ids["reviewer_th"] = create_account(session=session, email="reviewer_th@example.org", society="TH",
                                                     role="reviewer", password=PASSWORD, languages=("th",)).id
        self.clients = {name: stack.enter_context(client()) for name in (*PRINCIPALS, "reviewer_th")}
        for name in (*PRINCIPALS[1:], "reviewer_th"):
            assert log_in(self.clients[name], f"{name}@example.org").status_code == 303

    def token(self, principal: str) -> str:
        page = self.clients[principal].get("/staff/")
        return csrf_token(page.text) if page.status_code == 200 else "no-session"

    def version(self, path: str) -> int:
        with Session(self.engine) as session:
            return store.current(session, path).version

    def item(self, path: str) -> dict | None:
        with Session(self.engine) as session:
            now = store.current(session, path)
            return now.item if now else None

    def changes(self, **where) -> list[ContentChange]:
        with Session(self.engine) as session:
            query = select(ContentChange).order_by(ContentChange.id)
            for name, value in where.items():
                query = query.where(getattr(ContentChange, name) == value)
            return list(session.exec(query))

    def change_count(self) -> int:
        with Session(self.engine) as session:
            return session.exec(select(func.count()).select_from(ContentChange)).one()

    def audited(self, action: str) -> int:
        with Session(self.engine) as session:
            return session.exec(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)).one()

    def draft_by_author(self, path: str = NP_NOTICE) -> int:
        """A pending draft of path by author_np, as the store makes it; its id."""
        item = dict(self.item(path))
        item["texts"] = {**item["texts"], "en": {**item["texts"]["en"], "body": f"Roads closed {secrets.token_hex(3)}."}}
        author = store.Editor(self.ids["author_np"], "author_np@example.org", Role.editor, "NP", ())
        with Session(self.engine) as session:
            return store.propose(session, author, path, item, base_version=self.version(path)).id


@pytest.fixture(scope="module", params=["in-process", "loopback", "loopback-postgresql"])
def world(request, tmp_path_factory):
    with contextlib.ExitStack() as stack:
        if request.param == "loopback-postgresql":
            url = request.getfixturevalue("postgres").create_database(f"editor_{secrets.token_hex(6)}")
            stack.enter_context(pytest.MonkeyPatch.context()).setenv("DATABASE_URL", url)  # serve inherits it
        yield World(tmp_path_factory.mktemp("editor"), request.param, stack)


def _is_login_redirect(answer) -> bool:
    return answer.status_code == 303 and answer.headers["location"] == "/staff/login"


PAGES = {
    "/staff/content": EVERY_EDITOR,
    "/staff/content/articles": EVERY_EDITOR,
    "/staff/content/help-pages": EVERY_EDITOR,
    "/staff/content/programmes": EVERY_EDITOR,
    "/staff/content/contacts": EVERY_EDITOR,
    "/staff/content/notices": EVERY_EDITOR,
    "/staff/content/notice/new": EVERY_EDITOR,
    "/staff/review": EVERY_EDITOR,
    "/staff/content/article/nepal-help": NP_ONLY,
    "/staff/content/article/nepal-help?lang=th": NP_ONLY,  # a language not written yet
    "/staff/content/article/nepal-help?lang=xx": {"anonymous": "login", "caseworker_np": 403, "*": 404},
    "/staff/content/contact/np-police": NP_ONLY,
    "/staff/content/notice/np-floods": NP_ONLY,
    "/staff/history/text/en/nepal-help.json": NP_ONLY,
    "/staff/history/contact/np-police.json": NP_ONLY,
    "/staff/history/notice/np-floods.json": NP_ONLY,
    "/staff/content/contact/my-emergency": {"anonymous": "login", "editor_my": 200, "admin": 200, "*": 403},
    "/staff/content/contact/no-such-contact": {"anonymous": "login", "caseworker_np": 403, "*": 404},
    "/staff/history/contact/no-such-contact.json": {"anonymous": "login", "caseworker_np": 403, "*": 404},
}


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("path", PAGES)
def test_each_editor_page_answers_each_principal_as_it_should(world, path, principal):
    answer = world.clients[principal].get(path, follow_redirects=False)
    expected = PAGES[path].get(principal, PAGES[path].get("*"))
    if expected == "login":
        assert _is_login_redirect(answer), (answer.status_code, answer.headers.get("location"))
    else:
        assert answer.status_code == expected, answer.text[:500]


@pytest.mark.parametrize("principal, sees, hidden", [
    ("editor_np", {"np-police"}, {"my-emergency"}),
    ("editor_my", {"my-emergency"}, {"np-police"}),
    ("admin", {"np-police", "my-emergency"}, set()),
])
def test_the_contact_list_holds_exactly_the_editors_country(world, principal, sees, hidden):
    listed = world.clients[principal].get("/staff/content/contacts").text
    for contact in sees:
        assert f"/staff/content/contact/{contact}\"" in listed
    for contact in hidden:
        assert f"/staff/content/contact/{contact}\"" not in listed


def _text_form(world):
    return {"base_version": str(world.version(NP_TEXT)), "title": f"Help in Nepal {secrets.token_hex(3)}",
            "summary": "", "body": "Ask the Nepal Red Cross Society before you go.", "action": "save"}


def _contact_form(world):
    item = world.item(NP_POLICE)
    return {"base_version": str(world.version(NP_POLICE)), "name": "Police", "short_number": item["short_number"],
            "website": "", "source": f"Checked by phone {secrets.token_hex(3)}", "verified_on": "2026-11-20", "note": ""}


def _notice_form(world):
    return {"base_version": str(world.version(NP_NOTICE)), "countries": "NP", "severity": "warning",
            "starts": "2026-11-01", "ends": "2026-12-31", "title_en": "Floods",
            "body_en": f"Roads are closed {secrets.token_hex(3)}.", "extra_lang": ""}


def _new_notice_form(world):
    return {"id": f"np-quake-{secrets.token_hex(3)}", "countries": "NP", "severity": "danger",
            "starts": "2026-11-01", "ends": "2026-11-30", "title_en": "Earthquake", "body_en": "", "extra_lang": ""}


# Drafts: (path, form maker, item path the draft is for or None for a new one).
DRAFTS = {
    "text": ("/staff/content/article/nepal-help?lang=en", _text_form),
    "contact": ("/staff/content/contact/np-police", _contact_form),
    "notice": ("/staff/content/notice/np-floods", _notice_form),
    "new_notice": ("/staff/content/notice/new", _new_notice_form),
}
MAY_DRAFT = {"editor_np", "admin"}


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("draft", DRAFTS)
def test_each_draft_is_made_only_by_whom_it_should(world, draft, principal):
    path, form = DRAFTS[draft]
    before, audited = world.change_count(), world.audited("content_propose")
    answer = world.clients[principal].post(path, data=form(world) | {"csrf_token": world.token(principal)},
                                           follow_redirects=False)
    if principal in MAY_DRAFT:
        assert answer.status_code == 303 and answer.headers["location"].endswith("done=proposed"), answer.text[:2000]
        assert world.change_count() == before + 1 and world.audited("content_propose") == audited + 1
        assert world.changes()[-1].status == "pending"  # a draft until a second person approves it
    elif (principal, draft) == ("editor_my", "new_notice"):  # a notice for NP alone: said next to the field
        assert answer.status_code == 422 and 'id="countries-error"' in answer.text
        assert "The countries must include MY" in answer.text
    else:
        assert answer.status_code == 403 or (principal == "anonymous" and _is_login_redirect(answer))
    if principal not in MAY_DRAFT:
        assert world.change_count() == before


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_each_decision_is_made_only_by_whom_it_should(world, decision, principal):
    change_id = world.draft_by_author()
    listed = world.clients[principal].get("/staff/review").text
    assert (f'id="change-{change_id}"' in listed) == (principal in MAY_DRAFT)  # the queue shows what they may decide
    answer = world.clients[principal].post(f"/staff/review/{change_id}/{decision}", follow_redirects=False,
                                           data={"csrf_token": world.token(principal), "reason": "The roads are open again."})
    status = world.changes(id=change_id)[0].status
    if principal in MAY_DRAFT:
        done = "approved" if decision == "approve" else "rejected"
        assert answer.status_code == 303 and answer.headers["location"] == f"/staff/review?done={done}"
        assert status == done and world.audited(f"content_{decision}") >= 1
    else:
        assert answer.status_code == 403 or (principal == "anonymous" and _is_login_redirect(answer))
        assert status == "pending"
        with Session(world.engine) as session:  # leave nothing pending for the next test
            store.reject(session, store.Editor(world.ids["admin"], "admin@example.org", Role.admin, None, ()),
                         change_id, "test over")


def test_approving_your_own_change_is_refused_in_words(world):
    client = world.clients["editor_np"]
    client.post("/staff/content/notice/np-floods", data=_notice_form(world) | {"csrf_token": world.token("editor_np")})
    own = world.changes(status="pending")[-1]
    answer = client.post(f"/staff/review/{own.id}/approve", data={"csrf_token": world.token("editor_np")},
                         follow_redirects=True)
    assert answer.status_code == 200 and "You cannot approve your own change" in answer.text
    assert world.changes(id=own.id)[0].status == "pending"
    assert f'id="change-{own.id}"' not in answer.text  # their own drafts are not in their queue
    world.clients["admin"].post(f"/staff/review/{own.id}/reject",
                                data={"csrf_token": world.token("admin"), "reason": "test over"})


def test_a_rejection_needs_a_reason(world):
    change_id = world.draft_by_author()
    answer = world.clients["editor_np"].post(f"/staff/review/{change_id}/reject",
                                             data={"csrf_token": world.token("editor_np"), "reason": "  "},
                                             follow_redirects=True)
    assert "Write why you reject the change" in answer.text
    assert world.changes(id=change_id)[0].status == "pending"
    world.clients["admin"].post(f"/staff/review/{change_id}/reject",
                                data={"csrf_token": world.token("admin"), "reason": "test over"})


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_a_restore_is_a_new_draft_made_only_by_whom_it_should(world, principal):
    # The police contact gets a second version, so version 1 differs from what is published.
    with Session(world.engine) as session:
        if store.current(session, NP_POLICE).version == 1:
            item = {**store.current(session, NP_POLICE).item, "short_number": "112"}
            author = store.Editor(world.ids["author_np"], "author_np@example.org", Role.editor, "NP", ())
            admin = store.Editor(world.ids["admin"], "admin@example.org", Role.admin, None, ())
            store.approve(session, admin, store.propose(session, author, NP_POLICE, item, base_version=1).id)
    before = world.change_count()
    answer = world.clients[principal].post("/staff/history/contact/np-police.json/restore", follow_redirects=False,
                                           data={"csrf_token": world.token(principal), "version": "1"})
    if principal in MAY_DRAFT:
        assert answer.status_code == 303 and answer.headers["location"].endswith("done=restored")
        restored = world.changes()[-1]
        assert (restored.status, restored.restores_version, restored.base_version) == ("pending", 1, world.version(NP_POLICE))
        assert world.version(NP_POLICE) >= 2 and world.item(NP_POLICE)["short_number"] == "112"  # not published yet
    else:
        assert answer.status_code == 403 or (principal == "anonymous" and _is_login_redirect(answer))
        assert world.change_count() == before


POSTS = {
    "/staff/content/article/nepal-help?lang=en": _text_form,
    "/staff/content/contact/np-police": _contact_form,
    "/staff/content/notice/np-floods": _notice_form,
    "/staff/content/notice/new": _new_notice_form,
    "/staff/history/contact/np-police.json/restore": lambda world: {"version": "1"},
    "/staff/review/{change}/approve": lambda world: {},
    "/staff/review/{change}/reject": lambda world: {"reason": "no"},
}


@pytest.mark.parametrize("path", POSTS)
@pytest.mark.parametrize("sent", [None, "forged", "other-session"])
def test_no_change_without_the_forms_csrf_token(world, path, sent):
    change_id = world.draft_by_author()
    before = world.change_count()
    data = POSTS[path](world)
    if sent == "forged":
        data["csrf_token"] = "forged"
    elif sent == "other-session":
        data["csrf_token"] = world.token("admin")
    answer = world.clients["editor_np"].post(path.format(change=change_id), data=data, follow_redirects=False)
    assert answer.status_code == 403 and "This form has expired" in answer.text
    assert world.change_count() == before and world.changes(id=change_id)[0].status == "pending"
    world.clients["admin"].post(f"/staff/review/{change_id}/reject", data={"csrf_token": world.token("admin"), "reason": "x"})


LABELS = {"short_number": "Short number", "source": "Source", "body": "Text of the article", "ends": "Last day"}
# Bad input: (form path, form maker, what to change, the field named, words of the message).
BAD_INPUT = {
    "invalid number": ("/staff/content/contact/np-police", _contact_form, {"short_number": "999"}, "short_number",
                       "not an emergency number"),
    "missing source": ("/staff/content/contact/np-police", _contact_form, {"source": " "}, "source", "Enter the source"),
    "remote image": ("/staff/content/article/nepal-help?lang=en", _text_form,
                     {"body": "Look: ![map](https://tracker.example/map.png)"}, "body", "must not load from the network"),
    "javascript link": ("/staff/content/article/nepal-help?lang=en", _text_form,
                        {"body": "[Open](javascript:alert(document.cookie))"}, "body", "Links must go to"),
    "5 MB article": ("/staff/content/article/nepal-help?lang=en", _text_form, {"body": "word " * 1_000_000}, "body",
                     "too long"),
    "notice ends before it starts": ("/staff/content/notice/np-floods", _notice_form,
                                     {"starts": "2026-12-05", "ends": "2026-12-01"}, "ends", "before the first day"),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_saved(world, case):
    path, form, change, field, words = BAD_INPUT[case]
    before, published = world.change_count(), world.item(NP_TEXT)
    sent = form(world) | change | {"csrf_token": world.token("editor_np")}
    answer = world.clients["editor_np"].post(path, data=sent, follow_redirects=False)
    assert world.change_count() == before and world.item(NP_TEXT) == published
    if case == "5 MB article":  # refused before it is read, in words naming the field
        assert answer.status_code == 413 and "The text of the article is too long" in answer.text
        return
    assert answer.status_code == 422
    html = answer.text
    error = re.search(rf'<span class="field-error" id="{field}-error">(.*?)</span>\s*</p>|'
                      rf'<span class="field-error" id="{field}-error">(.*)', html, re.S)
    assert error and words in (error.group(0)), html[:3000]
    assert re.search(rf'id="{field}"[^>]*aria-describedby="[^"]*{field}-error', html, re.S), "the field names its error"
    assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', html, re.S)
    summary = re.search(rf'<a href="#{field}">(.*?)</a>', html, re.S)  # the summary at the top links to the field…
    assert summary and LABELS[field].lower() in summary.group(1).lower()  # …and names it
    kept = change[field].strip()  # the typed form is kept
    assert f'value="{kept}"' in html or f">{kept}</textarea>" in html or not kept


def test_a_reviewer_opens_and_edits_only_the_texts_of_their_language(world):
    client = world.clients["reviewer_th"]
    listed = client.get("/staff/content/programmes").text
    assert 'href="/staff/content/article/nepal-help?lang=th"' in listed  # their language, not English
    assert client.get("/staff/content/article/nepal-help?lang=th").status_code == 200
    assert client.get("/staff/content/article/nepal-help?lang=en").status_code == 403
    assert client.get("/staff/content/contact/np-police").status_code == 403
    before = world.change_count()
    answer = client.post("/staff/content/article/nepal-help?lang=th", follow_redirects=False, data={
        "csrf_token": world.token("reviewer_th"), "base_version": "0", "title": "ความช่วยเหลือในเนปาล", "summary": "",
        "body": "ถามสภากาชาดเนปาลก่อนเดินทาง", "action": "save"})
    assert answer.status_code == 303 and world.change_count() == before + 1
    assert world.changes()[-1].path == "text/th/nepal-help.json"
    world.clients["admin"].post(f"/staff/review/{world.changes()[-1].id}/reject",
                                data={"csrf_token": world.token("admin"), "reason": "test over"})


@pytest.mark.parametrize("number, passes", [("112", True), ("999", False)])
def test_checking_a_contacts_numbers_saves_nothing(world, number, passes):
    before = world.change_count()
    answer = world.clients["editor_np"].post("/staff/content/contact/np-police", follow_redirects=False, data={
        **_contact_form(world), "short_number": number, "action": "check", "csrf_token": world.token("editor_np")})
    assert world.change_count() == before
    if passes:
        assert answer.status_code == 200 and "pass every check" in answer.text
    else:
        assert answer.status_code == 422 and 'id="short_number-error"' in answer.text
        assert "not an emergency number in NP" in answer.text and "pass every check" not in answer.text


def test_a_server_that_lets_editors_publish_texts_alone_says_so_and_still_reviews_contacts(tmp_path, monkeypatch):
    monkeypatch.setenv(store.FOUR_EYES_ENV, "contacts_and_notices")
    monkeypatch.delenv("DATABASE_URL", raising=False)  # its own SQLite store, whatever the module's worlds set
    with contextlib.ExitStack() as stack:
        world = World(tmp_path, "in-process", stack)
        text = world.clients["editor_np"].post(DRAFTS["text"][0], data=_text_form(world) | {
            "csrf_token": world.token("editor_np")})
        assert "Saved and approved" in text.text and world.version(NP_TEXT) == 2
        contact = world.clients["editor_np"].post(DRAFTS["contact"][0], data=_contact_form(world) | {
            "csrf_token": world.token("editor_np")})
        assert "Saved as a draft" in contact.text and world.version(NP_POLICE) == 1


def test_the_preview_shows_the_typed_text_as_the_phone_would_and_saves_nothing(world):
    before = world.change_count()
    answer = world.clients["editor_np"].post(DRAFTS["text"][0], data=_text_form(world) | {
        "action": "preview", "csrf_token": world.token("editor_np"),
        "body": "## Before you go\n\n<script>alert(1)</script> ![map](https://tracker.example/map.png) [x](javascript:alert(1))"})
    assert answer.status_code == 200 and world.change_count() == before
    preview = answer.text.split('class="phone-preview"', 1)[1]
    assert "<h2>Before you go</h2>" in preview and "&lt;script&gt;" in preview and "<script>" not in preview
    assert "[Image: map]" in preview and "<img" not in preview and 'href="javascript' not in preview
