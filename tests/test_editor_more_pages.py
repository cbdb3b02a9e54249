""""My changes" (/staff/content/mine) and "Add a contact" (/staff/content/contact/new): anonymous,
an editor of the Nepal Red Cross (NP), an editor of the Malaysian Red Crescent (MY), a caseworker
of Nepal's Society and an admin × each page and action get exactly their answer; no POST goes
through without the form's CSRF token. Bad input is refused next to the field it names, the typed
form kept and nothing saved; a new contact is published only once a second person approves it.
In process and against a real `serve` on loopback (the store's own tests cover PostgreSQL)."""

from __future__ import annotations

import contextlib
import re
import secrets

import pytest
from sqlmodel import Session

from sync_server.editor import store
from sync_server.staff.models import Role
from tests.test_editor_more_store import example_number
from tests.test_editor_pages import PRINCIPALS, World, _is_login_redirect

COUNTRY = {"editor_np": "NP", "editor_my": "MY", "admin": "MY"}  # an admin: any country, from a list
MAY_ADD = set(COUNTRY)


@pytest.fixture(scope="module", params=["in-process", "loopback"])
def world(request, tmp_path_factory):
    with contextlib.ExitStack() as stack:
        stack.enter_context(pytest.MonkeyPatch.context()).delenv("DATABASE_URL", raising=False)
        yield World(tmp_path_factory.mktemp("editor-more"), request.param, stack)


def contact_form(world, principal: str = "editor_np", **changes: str) -> dict[str, str]:
    country = COUNTRY.get(principal, "NP")
    return {"csrf_token": world.token(principal), "country": country, "kind": "national_society",
            "name": f"Red Cross office {secrets.token_hex(3)}", "phone": example_number(country),
            "short_number": "", "website": "", "source": "Called the office", "verified_on": "2026-11-20",
            "note": "", **changes}


def admin(world) -> store.Editor:
    return store.Editor(world.ids["admin"], "admin@example.org", Role.admin, None, ())


PAGES = {"/staff/content/mine": {"anonymous": "login", "caseworker_np": 403, "*": 200},
         "/staff/content/contact/new": {"anonymous": "login", "caseworker_np": 403, "*": 200}}


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("path", PAGES)
def test_each_page_answers_each_principal_as_it_should(world, path, principal):
    answer = world.clients[principal].get(path, follow_redirects=False)
    expected = PAGES[path].get(principal, PAGES[path]["*"])
    if expected == "login":
        assert _is_login_redirect(answer), (answer.status_code, answer.headers.get("location"))
    else:
        assert answer.status_code == expected, answer.text[:500]
        if expected == 200:
            assert 'href="/staff/content/mine"' in answer.text  # in the staff navigation


def test_a_reviewer_of_texts_adds_no_contact(world):
    client = world.clients["reviewer_th"]
    assert client.get("/staff/content/contact/new").status_code == 403
    before = world.change_count()
    answer = client.post("/staff/content/contact/new", data=contact_form(world, "reviewer_th"), follow_redirects=False)
    assert answer.status_code == 403 and world.change_count() == before


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_a_contact_is_added_only_by_whom_it_should_in_their_own_country(world, principal):
    before = world.change_count()
    form = contact_form(world, principal)
    answer = world.clients[principal].post("/staff/content/contact/new", data=form, follow_redirects=False)
    if principal in MAY_ADD:
        assert answer.status_code == 303 and answer.headers["location"] == "/staff/content/mine?done=contact"
        change = world.changes()[-1]
        assert world.change_count() == before + 1 and change.status == "pending"
        country = COUNTRY[principal]
        slug = form["name"].lower().replace(" ", "-")
        assert change.path == f"contact/{country.lower()}-{slug}.json" and world.item(change.path) is None
        with Session(world.engine) as session:  # leave nothing pending for the next test
            store.reject(session, admin(world), change.id, "test over")
    else:
        assert answer.status_code == 403 or (principal == "anonymous" and _is_login_redirect(answer))
        assert world.change_count() == before


def test_an_editor_cannot_add_a_contact_in_another_country(world):
    """An editor's form has no country: a number of Malaysia sent as Malaysia's is refused as not Nepal's."""
    before = world.change_count()
    form = contact_form(world, country="MY", phone=example_number("MY"))
    answer = world.clients["editor_np"].post("/staff/content/contact/new", data=form, follow_redirects=False)
    assert answer.status_code == 422 and 'id="phone-error"' in answer.text and "not NP" in answer.text
    assert world.change_count() == before


# Bad input: (what to change, the field named, words of its message).
BAD_INPUT = {
    "invalid number": ({"phone": "+977 12"}, "phone", "not a valid"),
    "number with an extension": ({"phone": example_number("NP") + " ext 5"}, "phone", "has an extension"),
    "number with letters": ({"phone": "+977 ABC"}, "phone", "“+977 ABC” has letters in it"),
    "missing source": ({"source": "  "}, "source", "Enter the source"),
    "number of another country": ({"phone": example_number("MY")}, "phone", "belongs to MY, not NP"),
    "no way to reach them": ({"phone": ""}, "phone", "Enter a phone number, a short number or a website"),
    "future check date": ({"verified_on": "2999-01-01"}, "verified_on", "cannot be in the future"),
    "embassy without whose": ({"kind": "embassy", "for_country": ""}, "for_country", "whose embassy"),
    "name taken": ({"name": "Police"}, "name", "exists already"),
    "emergency kind": ({"kind": "emergency"}, "kind", "Choose what kind"),
}
LABELS = {"phone": "Phone number", "source": "Source", "verified_on": "Checked on", "for_country": "Whose embassy",
          "name": "Name", "kind": "Kind of contact"}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_saved(world, case):
    change, field, words = BAD_INPUT[case]
    with Session(world.engine) as session:
        items_before = store.current_items(session)
    before = world.change_count()
    form = contact_form(world) | change  # "Police": np-police exists, the id the name would make
    answer = world.clients["editor_np"].post("/staff/content/contact/new", data=form, follow_redirects=False)
    assert answer.status_code == 422, answer.text[:2000]
    assert world.change_count() == before
    with Session(world.engine) as session:
        assert store.current_items(session) == items_before
    html = answer.text
    error = re.search(rf'<span class="field-error" id="{field}-error">(.*?)</span>\s*\n', html, re.S)
    assert error and words in error.group(1), html[:4000]
    assert re.search(rf'id="{field}"[^>]*aria-describedby="[^"]*{field}-error', html, re.S), "the field names its error"
    assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', html, re.S)
    summary = re.search(rf'<a href="#{field}">(.*?)</a>', html, re.S)  # the summary at the top links to the field
    assert summary and LABELS[field].lower() in summary.group(1).lower()
    assert f'value="{form["name"]}"' in html and ">Called the office</textarea>" in html or case == "missing source"


def test_a_second_new_contact_of_the_same_name_waits_for_nobody(world):
    form = contact_form(world)
    world.clients["editor_np"].post("/staff/content/contact/new", data=form)
    first, before = world.changes()[-1], world.change_count()
    answer = world.clients["admin"].post("/staff/content/contact/new", follow_redirects=False,
                                         data=form | {"csrf_token": world.token("admin"), "country": "NP"})
    assert answer.status_code == 422 and 'id="name-error"' in answer.text
    assert "already waiting for review" in answer.text and world.change_count() == before
    with Session(world.engine) as session:
        store.reject(session, admin(world), first.id, "test over")


def test_a_new_contact_approved_by_a_second_person_is_published(world):
    form = contact_form(world, website="https://example.org/office")
    world.clients["editor_np"].post("/staff/content/contact/new", data=form)
    change = world.changes()[-1]
    assert change.status == "pending" and world.item(change.path) is None
    refused = world.clients["editor_np"].post(f"/staff/review/{change.id}/approve",
                                              data={"csrf_token": world.token("editor_np")}, follow_redirects=True)
    assert "You cannot approve your own change" in refused.text and world.item(change.path) is None
    answer = world.clients["admin"].post(f"/staff/review/{change.id}/approve",
                                         data={"csrf_token": world.token("admin")}, follow_redirects=False)
    assert answer.status_code == 303
    with Session(world.engine) as session:
        published = store.current_items(session)[change.path]
    assert published["texts"]["en"]["name"] == form["name"] and published["country"] == "NP"
    assert published["website"] == "https://example.org/office" and published["kind"] == "national_society"
    listed = world.clients["editor_np"].get("/staff/content/contacts").text
    assert form["name"] in listed and 'href="/staff/content/contact/new"' in listed
    mine = world.clients["editor_np"].get("/staff/content/mine").text
    section = mine.split(f'id="change-{change.id}"', 1)[1].split("</section>", 1)[0]
    assert "Approved by admin@example.org" in section and f'href="/staff/history/{change.path}"' in section


def test_my_changes_shows_ones_own_changes_with_the_reason_and_withdraws_only_ones_own(world):
    client = world.clients["editor_np"]
    client.post("/staff/content/contact/new", data=contact_form(world))
    rejected = world.changes()[-1]
    reason = f"Not the number of the office {secrets.token_hex(3)}"
    world.clients["admin"].post(f"/staff/review/{rejected.id}/reject",
                                data={"csrf_token": world.token("admin"), "reason": reason})
    client.post("/staff/content/contact/new", data=contact_form(world))
    waiting = world.changes()[-1]
    others = world.draft_by_author()  # author_np's, not editor_np's
    page = client.get("/staff/content/mine").text
    assert page.index(f'id="change-{waiting.id}"') < page.index(f'id="change-{rejected.id}"')  # newest first
    assert f'id="change-{others}"' not in page
    assert reason in page and "Waiting for a second person" in page
    assert f'action="/staff/content/mine/{waiting.id}/withdraw"' in page
    assert f'action="/staff/content/mine/{rejected.id}/withdraw"' not in page
    assert reason not in world.clients["editor_my"].get("/staff/content/mine").text
    # Someone else's draft: not withdrawn, whoever may review it.
    answer = client.post(f"/staff/content/mine/{others}/withdraw", data={"csrf_token": world.token("editor_np")},
                         follow_redirects=True)
    assert "no longer waiting" in answer.text and world.changes(id=others)[0].status == "pending"
    answer = client.post(f"/staff/content/mine/{waiting.id}/withdraw", data={"csrf_token": world.token("editor_np")},
                         follow_redirects=True)
    assert "Withdrawn: the draft will not be published" in answer.text
    assert world.changes(id=waiting.id)[0].status == "rejected"
    with Session(world.engine) as session:
        store.reject(session, admin(world), others, "test over")


@pytest.mark.parametrize("action", ["add", "withdraw"])
@pytest.mark.parametrize("sent", [None, "forged", "other-session"])
def test_no_change_without_the_forms_csrf_token(world, action, sent):
    change_id = world.draft_by_author()
    own = store.Editor(world.ids["editor_np"], "editor_np@example.org", Role.editor, "NP", ())
    with Session(world.engine) as session:  # a draft of editor_np's own to withdraw
        notice = store.current(session, "notice/np-floods.json")
        mine = store.propose(session, own, notice.path, {**notice.item, "severity": "danger"},
                             base_version=notice.version).id
    data = contact_form(world) if action == "add" else {}
    data.pop("csrf_token", None)
    if sent == "forged":
        data["csrf_token"] = "forged"
    elif sent == "other-session":
        data["csrf_token"] = world.token("admin")
    before = world.change_count()
    path = "/staff/content/contact/new" if action == "add" else f"/staff/content/mine/{mine}/withdraw"
    answer = world.clients["editor_np"].post(path, data=data, follow_redirects=False)
    assert answer.status_code == 403 and "This form has expired" in answer.text
    assert world.change_count() == before and world.changes(id=mine)[0].status == "pending"
    with Session(world.engine) as session:
        for change in (change_id, mine):
            store.reject(session, admin(world), change, "test over")
