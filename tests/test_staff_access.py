"""Access matrix: every /staff/ and /api/ endpoint × anonymous, a caseworker of Nepal's Society
(A), a caseworker of Malaysia's (B), an editor, a reviewer and an admin — each gets exactly its
answer, and a change someone may not make leaves the database as it was. Every state-changing
POST under /staff/ without the form's CSRF token is refused and changes nothing. All of it runs
three times: in process and against a real `serve` on loopback on SQLite, and on loopback on
PostgreSQL."""

from __future__ import annotations

import contextlib
import secrets

import httpx
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from sync_server.db import engine_for, migrate_database
from sync_server.local_process import serving_process
from sync_server.paths import REQUEST_KEYS_FILE
from sync_server.requests import keys, store
from sync_server.requests.models import HelpRequest
from sync_server.serving.app import create_app
from sync_server.serving.server import Limits
from sync_server.staff.models import StaffAccount
from tests.intake_helpers import TRACING, idempotency_key, request_body, server_data
from tests.staff_helpers import add_account, csrf_token, log_in
from tests.test_translating_pages import ROUTES as TRANSLATING_ROUTES

PRINCIPALS = ("anonymous", "caseworker_a", "caseworker_b", "editor", "reviewer", "admin")
ACCOUNTS = {"caseworker_a": ("caseworker", "NP"), "caseworker_b": ("caseworker", "MY"),
            "editor": ("editor", "NP"), "reviewer": ("reviewer", "NP"), "admin": ("admin", "NP")}
SECRET = TRACING["sought_name"]  # a personal value only caseworker A may ever see


class World:
    """One server with an account per role; each principal browses with its own cookies."""

    def __init__(self, tmp_path, mode: str, stack: contextlib.ExitStack):
        data = server_data(tmp_path / "server")
        # The intake's per-client limit is not what this test measures (every client is one address).
        if mode == "in-process":  # (SQLite in the data folder: DATABASE_URL is unset here)
            self.app = create_app(data / "repository", data=data, limits=Limits(intake_per_minute=100_000))
            self.engine = self.app.state.db_engine
            self.keyring = self.app.state.intake.keyring()
            client = lambda: TestClient(self.app)  # noqa: E731
        else:
            self.engine = engine_for(data)
            migrate_database(self.engine)
            stack.callback(self.engine.dispose)
            server = stack.enter_context(serving_process(data, options=("--intake-per-minute", "100000")))
            self.keyring = keys.load_keyring(data, REQUEST_KEYS_FILE)
            client = lambda: httpx.Client(base_url=server.base, timeout=60)  # noqa: E731  (a busy machine)
        self.clients = {name: stack.enter_context(client()) for name in PRINCIPALS}
        for name, (role, society) in ACCOUNTS.items():
            add_account(self.engine, f"{name}@example.org", role=role, society=society)
            assert log_in(self.clients[name], f"{name}@example.org").status_code == 303
        # Thailand's Society, where the referral goes: a request is referred only where someone reads it.
        add_account(self.engine, "caseworker-th@example.org", role="caseworker", society="TH")
        self.api = stack.enter_context(client())

    def new_request(self, route=("NP", "MY")) -> str:
        """A tracing request routed to the Society of route[0]."""
        answer = self.api.post("/api/requests", json=request_body("tracing", route=list(route)),
                               headers={"Idempotency-Key": idempotency_key()})
        assert answer.status_code == 201, answer.text
        return answer.json()["receipt"]

    def row(self, receipt: str) -> HelpRequest:
        with Session(self.engine) as session:
            return session.exec(select(HelpRequest).where(HelpRequest.receipt == receipt)).one()

    def notes(self, receipt: str) -> int:
        with Session(self.engine) as session:
            return len(store.open_request(session, receipt, None, keyring=self.keyring).notes)

    def throwaway_account(self) -> int:
        return add_account(self.engine, f"victim-{secrets.token_hex(4)}@example.org")

    def disabled(self, account_id: int) -> bool:
        with Session(self.engine) as session:
            return session.get(StaffAccount, account_id).disabled

    def token(self, principal: str) -> str:
        """The CSRF token of the principal's session (what its forms carry); anonymous has none."""
        page = self.clients[principal].get("/staff/")
        return csrf_token(page.text) if page.status_code == 200 else "no-session"


@pytest.fixture(scope="module", params=["in-process", "loopback", "loopback-postgresql"])
def world(request, tmp_path_factory):
    with contextlib.ExitStack() as stack:
        if request.param == "loopback-postgresql":
            url = request.getfixturevalue("postgres").create_database(f"staff_{secrets.token_hex(6)}")
            stack.enter_context(pytest.MonkeyPatch.context()).setenv("DATABASE_URL", url)  # serve inherits it
        yield World(tmp_path_factory.mktemp("access"), request.param, stack)


def _is_login_redirect(answer) -> bool:
    return answer.status_code == 303 and answer.headers["location"] == "/staff/login"


# GET pages: what each principal gets. "login" = sent to the login page.
PAGES = {
    "/staff/": {"anonymous": "login", "*": 200},
    "/staff/account/second-factor": {"anonymous": "login", "editor": 403, "reviewer": 403, "*": 200},
    "/staff/admin/accounts": {"anonymous": "login", "admin": 200, "*": 403},
    "/staff/admin/audit": {"anonymous": "login", "admin": 200, "*": 403},
    "/staff/inbox": {"anonymous": "login", "caseworker_a": 200, "caseworker_b": 200, "admin": 200, "*": 403},
    "/staff/inbox/{receipt}": {"anonymous": "login", "caseworker_a": 200, "caseworker_b": 404, "admin": 200, "*": 403},
}


def _expected(table: dict, principal: str):
    return table.get(principal, table.get("*"))


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("path", PAGES)
def test_each_page_answers_each_principal_as_it_should(world, path, principal):
    receipt = world.new_request()
    answer = world.clients[principal].get(path.format(receipt=receipt), follow_redirects=False)
    expected = _expected(PAGES[path], principal)
    if expected == "login":
        assert _is_login_redirect(answer), (answer.status_code, answer.headers.get("location"))
    else:
        assert answer.status_code == expected
    # A request's contents reach caseworker A alone: never B, the admin, an editor or anyone else.
    assert (SECRET in answer.text) == (path == "/staff/inbox/{receipt}" and principal == "caseworker_a")


@pytest.mark.parametrize("principal", ["caseworker_a", "caseworker_b", "admin"])
def test_each_inbox_lists_exactly_its_societys_requests(world, principal):
    in_a, in_b = world.new_request(("NP", "MY")), world.new_request(("MY", "NP"))
    listed = world.clients[principal].get("/staff/inbox").text
    assert (in_a in listed, in_b in listed) == {"caseworker_a": (True, False), "caseworker_b": (False, True),
                                               "admin": (True, True)}[principal]
    assert SECRET not in listed and TRACING["requester_phone"] not in listed  # nothing personal in a list


# POST actions: (path, form, who may, how to see that the change happened).
ACTIONS = {
    "note": ("/staff/inbox/{receipt}/note", {"text": "Called the requester back."}, {"caseworker_a"},
             lambda w, r: w.notes(r) == 1),
    "consent": ("/staff/inbox/{receipt}/consent", {"answer": "not_found"}, {"caseworker_a"},
                lambda w, r: w.notes(r) == 1),
    "status": ("/staff/inbox/{receipt}/status", {"status": "in_progress", "message": "We are looking."},
               {"caseworker_a"}, lambda w, r: w.row(r).status == "in_progress"),
    "refer": ("/staff/inbox/{receipt}/refer", {"to_society": "TH"}, {"caseworker_a"},
              lambda w, r: w.row(r).society == "TH"),
    "disable": ("/staff/admin/accounts/{account}/disable", {}, {"admin"}, lambda w, a: w.disabled(a)),
}


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("action", ACTIONS)
def test_each_change_is_made_only_by_whom_it_should(world, action, principal):
    path, form, allowed, changed = ACTIONS[action]
    target = world.throwaway_account() if action == "disable" else world.new_request()
    answer = world.clients[principal].post(path.format(receipt=target, account=target),
                                           data=form | {"csrf_token": world.token(principal)}, follow_redirects=False)
    if principal == "anonymous":
        assert _is_login_redirect(answer) or answer.status_code == 403
    elif principal in allowed:
        assert answer.status_code == 303 and not _is_login_redirect(answer)
    elif principal == "caseworker_b" or (principal, action) == ("admin", "refer"):
        # Another Society's request: as if it did not exist. An admin refers only requests no
        # Society holds (moving one into its own Society would let its caseworkers read it).
        assert answer.status_code == (403 if action == "disable" else 404)
    else:
        assert answer.status_code == 403
    assert changed(world, target) == (principal in allowed)


def test_an_admin_refers_a_request_no_society_holds(world):
    receipt = world.new_request(("OM",))  # Oman has no National Society: nobody holds it
    answer = world.clients["admin"].post(f"/staff/inbox/{receipt}/refer",
                                         data={"to_society": "NP", "csrf_token": world.token("admin")},
                                         follow_redirects=False)
    assert answer.status_code == 303 and world.row(receipt).society == "NP"


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("sent", [None, "", "forged"])
def test_no_change_without_the_forms_csrf_token(world, action, sent):
    path, form, allowed, changed = ACTIONS[action]
    principal = sorted(allowed)[-1] if action != "refer" else "caseworker_a"
    target = world.throwaway_account() if action == "disable" else world.new_request()
    data = form | ({} if sent is None else {"csrf_token": sent})
    answer = world.clients[principal].post(path.format(receipt=target, account=target), data=data,
                                           follow_redirects=False)
    assert answer.status_code == 403 and "This form has expired" in answer.text
    assert not changed(world, target)


def test_another_sessions_token_is_refused_too(world):
    receipt = world.new_request()
    answer = world.clients["caseworker_a"].post(f"/staff/inbox/{receipt}/status", follow_redirects=False,
                                                data={"status": "closed", "csrf_token": world.token("admin")})
    assert answer.status_code == 403 and world.row(receipt).status == "delivered"


@pytest.mark.parametrize("path, data", [
    ("/staff/logout", {}),
    ("/staff/account/second-factor", {"code": "123456"}),
])
def test_logout_and_the_second_factor_need_the_token_too(world, path, data):
    client = world.clients["caseworker_a"]
    answer = client.post(path, data=data, follow_redirects=False)
    assert answer.status_code == 403
    assert client.get("/staff/").status_code == 200  # still logged in


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_the_public_api_answers_everyone_alike_and_reads_no_staff_cookie(world, principal):
    """The requester's API is authenticated by the phone's proof (the request's Idempotency-Key)
    alone: a receipt, which staff see, with any staff cookie, even the admin's or the request's
    own caseworker's, reads and withdraws nothing; the proof works whoever's cookies come along."""
    client = world.clients[principal]
    receipt = world.new_request()  # caseworker A's Society
    unknown = client.get("/api/requests/ABCD-EFGH-JKMN-PQRS")
    assert unknown.status_code == 404
    assert (client.get(f"/api/requests/{receipt}").content, client.post(f"/api/requests/{receipt}/withdraw").content
            ) == (unknown.content, unknown.content)
    assert world.row(receipt).status == "delivered" and world.row(receipt).sealed is not None
    proof = {"Authorization": f"Bearer {world.row(receipt).idempotency_key}"}
    status = client.get(f"/api/requests/{receipt}", headers=proof)
    assert status.status_code == 200 and set(status.json()) == {"receipt", "status", "updated_at", "message"}
    assert client.post(f"/api/requests/{receipt}/withdraw", headers=proof).json()["status"] == "withdrawn"


COVERED = {("GET", path) for path in PAGES} | {("POST", ACTIONS[a][0].replace("{account}", "{account_id}")) for a in ACTIONS} | {
    ("GET", "/staff/login"), ("POST", "/staff/login"),  # test_staff_pages.py: login, CSRF, slow-down
    ("POST", "/staff/logout"), ("POST", "/staff/account/second-factor"),  # above and test_staff_pages.py
    ("POST", "/api/requests"), ("GET", "/api/requests/{receipt}"), ("POST", "/api/requests/{receipt}/withdraw"),
} | {(method, "/staff/" + path) for method, path in (  # the content editor's own matrix: test_editor_pages.py
    ("GET", "content"), ("GET", "content/{slug}"), ("GET", "content/article/{article_id}"),
    ("POST", "content/article/{article_id}"), ("GET", "content/contact/{contact_id}"), ("POST", "content/contact/{contact_id}"),
    ("GET", "content/notice/new"), ("POST", "content/notice/new"), ("GET", "content/notice/{notice_id}"),
    ("POST", "content/notice/{notice_id}"), ("GET", "review"), ("POST", "review/{change_id}/approve"),
    ("POST", "review/{change_id}/reject"), ("GET", "history/{path:path}"), ("POST", "history/{path:path}/restore"),
    ("GET", "content/mine"), ("POST", "content/mine/{change_id}/withdraw"),  # test_editor_more_pages.py
    ("GET", "content/contact/new"), ("POST", "content/contact/new"))} | TRANSLATING_ROUTES


def _api_routes(routes):
    """Every APIRoute, also inside included routers (FastAPI keeps those as the router itself)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from _api_routes(route.original_router.routes)


def test_the_matrix_covers_every_staff_and_api_endpoint(tmp_path):
    """A new route under /staff/ or /api/ must join the matrix (or this list) before it ships."""
    app = create_app(tmp_path / "repository", data=server_data(tmp_path))
    routes = {(method, route.path) for route in _api_routes(app.routes)
              if route.path.startswith(("/staff", "/api")) for method in route.methods}
    assert routes == COVERED
