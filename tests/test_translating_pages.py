"""The translating pages (/staff/translations, /staff/contacts/checks, /staff/programmes) over a
content store holding a set known by heart (tests/translating_helpers.py).

Access: anonymous, a caseworker, a reviewer of Thai, a reviewer of no language, an editor of
Nepal's Society, an editor of Malaysia's and an admin × every page and action — in process and
against a real `serve` on loopback; no change without the form's CSRF token. Then what the pages
do: the counts and queue of a language, a translation marked reviewed reaching a phone once a
second person approved it and it was published, a contact check and the overdue report, the
programme search."""

from __future__ import annotations

import contextlib
import re
import urllib.parse

import frontmatter
import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.content import queries
from app.content.embedded import ensure_embedded_installed
from app.content.item_paths import item_path
from app.storage.engines import open_content_engine
from app.storage.paths import content_db
from sync_server.db import engine_for, migrate_database
from sync_server.editor import store
from sync_server.editor.models import ContentChange
from sync_server.editor.published import approved_items
from sync_server.local_process import serving_process
from sync_server.paths import CONTENT_DIR
from sync_server.serving.app import create_app
from sync_server.staff.accounts import create_account
from sync_server.staff.models import Role
from sync_server.staff.web.limits import STAFF_FORM_MAX_BYTES
from tests.factories import sign_bundle
from tests.intake_helpers import server_data
from tests.staff_helpers import PASSWORD, csrf_token, log_in
from tests.translating_helpers import TODAY, known_items

PRINCIPALS = ("anonymous", "caseworker", "reviewer_th", "reviewer_none", "editor_np", "editor_my", "admin")
ACCOUNTS = {"caseworker": ("caseworker", "NP", ()), "reviewer_th": ("reviewer", "TH", ("th",)),
            "reviewer_none": ("reviewer", "NP", ()), "editor_np": ("editor", "NP", ()),
            "editor_my": ("editor", "MY", ()), "admin": ("admin", "NP", ())}
# Someone else who approves changes (the review pages are editor-pages' part; the store is the same).
SECOND_PERSON = store.Editor(account_id=10_000, email="second@example.org", role=Role.admin, society=None, languages=())


def email(principal: str) -> str:
    return f"{principal.replace('_', '-')}@example.org"


class World:
    """A server whose content store holds known_items(), with an account per principal."""

    def __init__(self, tmp_path, mode: str, stack: contextlib.ExitStack):
        self.data = data = server_data(tmp_path / "server")
        self.engine = engine_for(data)
        migrate_database(self.engine)
        stack.callback(self.engine.dispose)
        with Session(self.engine) as session:
            store.import_items(session, known_items())
            for name, (role, society, languages) in ACCOUNTS.items():
                create_account(session=session, email=email(name), society=society, role=role, password=PASSWORD,
                               languages=languages)
        if mode == "in-process":
            app = create_app(data / "repository", data=data)
            client = lambda: TestClient(app)  # noqa: E731
        else:
            server = stack.enter_context(serving_process(data))
            client = lambda: httpx.Client(base_url=server.base, timeout=60)  # noqa: E731  (a busy machine)
        self.clients = {name: stack.enter_context(client()) for name in PRINCIPALS}
        for name in ACCOUNTS:
            assert log_in(self.clients[name], email(name)).status_code == 303

    def token(self, principal: str) -> str:
        page = self.clients[principal].get("/staff/")
        return csrf_token(page.text) if page.status_code == 200 else "no-session"

    def changes(self, path: str, principal: str) -> int:
        with Session(self.engine) as session:
            return len(session.exec(select(ContentChange).where(ContentChange.path == path,
                                                                ContentChange.author_email == email(principal))).all())

    def approve_all(self, path: str) -> None:
        with Session(self.engine) as session:
            for change in session.exec(select(ContentChange).where(ContentChange.path == path,
                                                                  ContentChange.status == "pending")).all():
                store.approve(session, SECOND_PERSON, change.id)

    def items(self) -> dict[str, dict]:
        with Session(self.engine) as session:
            return store.current_items(session)


@pytest.fixture(scope="module", params=["in-process", "loopback"])
def world(request, tmp_path_factory):
    with contextlib.ExitStack() as stack, pytest.MonkeyPatch.context() as patch:
        patch.delenv("DATABASE_URL", raising=False)  # SQLite in the data folder
        yield World(tmp_path_factory.mktemp("translating"), request.param, stack)


def _is_login_redirect(answer) -> bool:
    return answer.status_code == 303 and answer.headers["location"] == "/staff/login"


CONTENT_PAGE = {"anonymous": "login", "caseworker": 403, "*": 200}
PAGES = {
    "/staff/translations": CONTENT_PAGE,
    "/staff/translations/th": CONTENT_PAGE,
    "/staff/translations/th/passport-taken": CONTENT_PAGE,
    "/staff/contacts/checks": CONTENT_PAGE,
    "/staff/programmes": {"anonymous": "login", "*": 200},  # every staff member of the network
}


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("path", PAGES)
def test_each_page_answers_each_principal_as_it_should(world, path, principal):
    answer = world.clients[principal].get(path, follow_redirects=False)
    expected = PAGES[path].get(principal, PAGES[path]["*"])
    if expected == "login":
        assert _is_login_redirect(answer), (answer.status_code, answer.headers.get("location"))
    else:
        assert answer.status_code == expected


# POST actions: (path, form, who may, the item path a change is made to).
ACTIONS = {
    "translate": ("/staff/translations/th/keep-documents",
                  {"title": "เก็บเอกสารให้ปลอดภัย", "body": "เก็บเอกสารไว้ในถุงพลาสติก", "reviewed": "yes", "base_version": "1"},
                  {"reviewer_th", "admin"}, item_path("text", "keep-documents", "th")),
    "check": ("/staff/contacts/checks/np-police", {}, {"editor_np", "admin"}, item_path("contact", "np-police")),
}


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("action", ACTIONS)
def test_each_change_is_made_only_by_whom_it_should(world, action, principal):
    path, form, allowed, item = ACTIONS[action]
    before = world.changes(item, principal)
    answer = world.clients[principal].post(path, data=form | {"csrf_token": world.token(principal)},
                                           follow_redirects=False)
    if principal == "anonymous":
        assert _is_login_redirect(answer) or answer.status_code == 403
    elif principal in allowed:
        assert answer.status_code == 303 and not _is_login_redirect(answer), answer.text
    else:
        assert answer.status_code == 403
    assert world.changes(item, principal) - before == (1 if principal in allowed else 0)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("sent", [None, "", "forged"])
def test_no_change_without_the_forms_csrf_token(world, action, sent):
    path, form, allowed, item = ACTIONS[action]
    principal = sorted(allowed)[0]
    before = world.changes(item, principal)
    data = form | ({} if sent is None else {"csrf_token": sent})
    answer = world.clients[principal].post(path, data=data, follow_redirects=False)
    assert answer.status_code == 403 and "This form has expired" in answer.text
    assert world.changes(item, principal) == before


# Every route of these pages, with the matrix above (tests/test_staff_access.py checks none is left out).
ROUTES = {("GET", "/staff/translations"), ("GET", "/staff/translations/{lang}"),
          ("GET", "/staff/translations/{lang}/{article_id}"), ("POST", "/staff/translations/{lang}/{article_id}"),
          ("GET", "/staff/contacts/checks"), ("POST", "/staff/contacts/checks/{contact_id}"),
          ("GET", "/staff/programmes")}


# ---- what the pages do (in process: the same code answers over loopback above) -------------------

@pytest.fixture
def local(tmp_path):
    with contextlib.ExitStack() as stack, pytest.MonkeyPatch.context() as patch:
        patch.delenv("DATABASE_URL", raising=False)
        yield World(tmp_path, "in-process", stack)


def _count(html: str, lang: str, state: str) -> int:
    match = re.search(rf'id="count-{lang}-{state}">(\d+)<', html)
    assert match, f"no {state} count for {lang}"
    return int(match.group(1))


def test_the_counts_and_the_queue_of_each_language(local):
    client = local.clients["reviewer_th"]
    overview = client.get("/staff/translations").text
    counts = {(lang, state): _count(overview, lang, state) for lang in ("th", "my", "km")
              for state in ("missing", "machine", "stale", "reviewed")}
    assert counts == {("th", "missing"): 2, ("th", "machine"): 1, ("th", "stale"): 0, ("th", "reviewed"): 1,
                      ("my", "missing"): 3, ("my", "machine"): 0, ("my", "stale"): 1, ("my", "reviewed"): 0,
                      ("km", "missing"): 3, ("km", "machine"): 1, ("km", "stale"): 0, ("km", "reviewed"): 0}
    queue = client.get("/staff/translations/my").text
    rows = re.findall(r'<tr id="row-([\w-]+)">', queue)
    assert rows == ["passport-taken", "nepal-help", "keep-documents", "malaysia-help"]  # stale first
    assert "Older than the English" in queue.split('id="row-passport-taken"')[1].split("</tr>")[0]
    stale_only = re.findall(r'<tr id="row-([\w-]+)">', client.get("/staff/translations/my?state=stale").text)
    assert stale_only == ["passport-taken"]
    assert client.get("/staff/translations/xx").status_code == 404
    assert client.get("/staff/translations/th/no-such-article").status_code == 404


def _phone(tmp_path, items: dict[str, dict]):
    """A phone with `items` signed by the publisher's code and installed."""
    _, root = sign_bundle(tmp_path / "bundle", items)
    (tmp_path / "root.json").write_bytes(root)
    home = tmp_path / "home"
    home.mkdir()
    ensure_embedded_installed(home, bundle_dir=tmp_path / "bundle", trusted_root_file=tmp_path / "root.json")
    return Session(open_content_engine(content_db(home)))


def _mark_reviewed(world: World, principal: str, lang: str, article_id: str):
    client = world.clients[principal]
    page = client.get(f"/staff/translations/{lang}/{article_id}").text
    text = world.items()[item_path("text", article_id, lang)]
    base = re.search(r'name="base_version" value="(\d+)"', page).group(1)
    return client.post(f"/staff/translations/{lang}/{article_id}", follow_redirects=False, data={
        "csrf_token": csrf_token(page), "base_version": base, "title": text["title"], "summary": text["summary"],
        "body": text["body"], "reviewed": "yes"})


def test_a_reviewed_translation_loses_its_note_on_the_phone_once_approved_and_published(local, tmp_path):
    path = item_path("text", "keep-documents", "th")
    answer = _mark_reviewed(local, "reviewer_th", "th", "keep-documents")
    assert answer.status_code == 303 and answer.headers["location"].endswith("?done=pending")
    assert local.items()[path]["reviewed"] is False  # a draft publishes nothing
    local.approve_all(path)
    assert local.items()[path]["reviewed"] is True
    assert _count(local.clients["reviewer_th"].get("/staff/translations").text, "th", "reviewed") == 2
    with _phone(tmp_path, approved_items(local.data)) as phone:  # what the publisher reads and signs
        assert queries.get_article(phone, article_id="keep-documents", lang="th").translation == "reviewed"
    with _phone(tmp_path / "before", known_items()) as phone:  # the same article as it was: a note
        assert queries.get_article(phone, article_id="keep-documents", lang="th").translation == "machine"


def test_a_stale_translation_checked_again_is_no_longer_older_than_the_english(local):
    path = item_path("text", "passport-taken", "my")
    english = local.items()[item_path("text", "passport-taken", "en")]
    assert _mark_reviewed(local, "admin", "my", "passport-taken").status_code == 303
    local.approve_all(path)
    text = local.items()[path]
    assert text["reviewed"] is True and text["updated_at"] > english["updated_at"]
    assert _count(local.clients["admin"].get("/staff/translations").text, "my", "stale") == 0


def test_a_refused_translation_names_the_field_and_keeps_what_was_typed(local):
    client = local.clients["reviewer_th"]
    page = client.get("/staff/translations/th/malaysia-help").text
    answer = client.post("/staff/translations/th/malaysia-help", data={
        "csrf_token": csrf_token(page), "base_version": "0", "title": "ขอความช่วยเหลือในมาเลเซีย",
        "body": "ดูรูป ![x](https://tracker.example.org/x.png)"})
    assert answer.status_code == 400
    assert 'id="form-error">body:' in answer.text and "ขอความช่วยเหลือในมาเลเซีย" in answer.text
    assert item_path("text", "malaysia-help", "th") not in local.items()


def test_a_check_reaches_the_phone_as_checked_by_the_society_and_leaves_the_report(local, tmp_path):
    client = local.clients["editor_np"]
    report = client.get("/staff/contacts/checks?country=all").text
    overdue = re.findall(r'<tr id="overdue-([\w-]+)">', report)
    assert overdue == ["my-red-crescent"]  # checked 400 days ago; the others 30 days ago
    page = client.get("/staff/contacts/checks").text  # an editor sees their own country's contacts
    assert re.findall(r'<tr id="contact-([\w-]+)">', page) == ["np-police", "np-red-cross"]
    answer = client.post("/staff/contacts/checks/np-police", data={"csrf_token": csrf_token(page)},
                         follow_redirects=False)
    assert answer.status_code == 303 and "done=pending" in answer.headers["location"]
    path = item_path("contact", "np-police")
    assert "checked_by" not in local.items()[path]  # a contact change waits for a second person
    local.approve_all(path)
    checked = local.items()[path]
    assert (checked["verified_on"], checked["checked_by"]) == (TODAY.isoformat(), "NP")
    with _phone(tmp_path, approved_items(local.data)) as phone:
        cards = {c.id: c for c in queries.contacts_for(phone, country="NP", lang="th")}
    assert cards["np-police"].checked_by == "สภากาชาดเนปาล"  # the Society, in the reader's language
    assert cards["np-police"].verified_on == TODAY


def test_the_programme_directory_searches_by_words_and_country(local):
    client = local.clients["caseworker"]
    found = lambda query: re.findall(r'<article class="programme" id="programme-([\w-]+)"', client.get(  # noqa: E731
        f"/staff/programmes{query}").text)
    assert found("") == ["nepal-help"]
    assert found("?q=hospitals+family") == ["nepal-help"]
    assert found("?q=visa") == []
    assert found("?country=MY") == []
    page = client.get("/staff/programmes?country=NP").text
    assert "Workers coming home to Nepal." in page and "<li>Referrals to hospitals</li>" in page
    assert "Nepal Red Cross Society" in page


@pytest.mark.parametrize("principal, may_edit", [("reviewer_th", True), ("admin", True), ("reviewer_none", False),
                                                 ("editor_np", False)])
def test_only_a_reviewer_of_the_language_or_an_admin_gets_the_form(local, principal, may_edit):
    page = local.clients[principal].get("/staff/translations/th/passport-taken").text
    assert ('action="/staff/translations/th/passport-taken"' in page) == may_edit
    assert "ถ้าหนังสือเดินทางถูกยึด" in page  # the translation itself, editable or not


# ---- long texts: every real translation can be saved; a form past the limit gets words ----------

def _longest_real_translation() -> tuple[str, dict]:
    """The translation in content/translations that makes the biggest form (url-encoded)."""
    def form(path) -> dict:
        post = frontmatter.load(path)
        return {"title": str(post["title"]), "summary": str(post.get("summary") or ""), "body": post.content}

    paths = sorted((CONTENT_DIR / "translations").glob("*/*.md"))
    assert len(paths) > 1000  # 14 languages × 112 articles, give or take
    longest = max(paths, key=lambda path: len(urllib.parse.urlencode(form(path))))
    return f"{longest.parent.name}/{longest.stem}", form(longest)


def test_the_longest_real_translation_is_saved_whole(world):
    """Issue: the Nepali help-in-au (~29 KB as a form) was refused as too large and lost."""
    name, form = _longest_real_translation()
    assert len(urllib.parse.urlencode(form)) > 16 * 1024, name  # past the limit that refused it
    before = world.changes(item_path("text", "keep-documents", "th"), "admin")
    answer = world.clients["admin"].post("/staff/translations/th/keep-documents", follow_redirects=False,
                                         data=form | {"base_version": "1", "csrf_token": world.token("admin")})
    assert answer.status_code == 303, (name, answer.status_code, answer.text[:300])
    assert world.changes(item_path("text", "keep-documents", "th"), "admin") == before + 1


def test_a_form_past_the_staff_limit_gets_a_page_in_words(world):
    answer = world.clients["admin"].post("/staff/translations/th/keep-documents", follow_redirects=False, data={
        "base_version": "1", "title": "t", "body": "a" * STAFF_FORM_MAX_BYTES, "csrf_token": world.token("admin")})
    assert answer.status_code == 413 and answer.headers["content-type"].startswith("text/html")
    assert answer.headers["cache-control"] == "no-store"
    assert "This text is too long to save" in answer.text and '"detail"' not in answer.text
    assert 'href="/staff/translations/th/keep-documents"' in answer.text  # a way back to the form


def test_a_title_too_long_comes_back_with_the_typed_text(local):
    client = local.clients["reviewer_th"]
    token = csrf_token(client.get("/staff/translations/th/malaysia-help").text)
    title, body = "ช" * 301, "ข้อความที่พิมพ์ไว้"
    answer = client.post("/staff/translations/th/malaysia-help", data={
        "csrf_token": token, "base_version": "0", "title": title, "body": body})
    assert answer.status_code == 422 and answer.headers["content-type"].startswith("text/html")
    assert "Title: at most 300 characters. Yours has 301" in answer.text
    assert f">{title}</textarea>" in answer.text and f'name="body" value="{body}"' in answer.text
