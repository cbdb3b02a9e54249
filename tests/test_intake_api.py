"""The intake API (POST /api/requests, status, withdraw) on SQLite and on PostgreSQL: stored
once per Idempotency-Key, sealed as received, routed to a National Society, refused with a
JSON error that names the field (never its value), rate-limited per client address."""

import base64
import concurrent.futures
import json
import random
import re

import httpx
import pytest
from fastapi.testclient import TestClient
from nacl.public import PrivateKey, SealedBox
from sqlmodel import Session, select

from sync_server.db import engine_for
from sync_server.local_process import serving_process
from sync_server.paths import REQUEST_KEYS_FILE
from sync_server.requests import store
from sync_server.requests.keys import load_keyring
from sync_server.requests.models import HelpRequest, Referral, RequestNote
from sync_server.requests.routing import societies
from sync_server.serving.app import create_app
from sync_server.serving.server import Limits
from tests.intake_helpers import CONTACT_ME, SAFE, TRACING, idempotency_key, request_body, seal, server_data

RECEIPT = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}")


@pytest.fixture
def data(tmp_path, server_database):
    return server_data(tmp_path / "data")


@pytest.fixture
def client(data):
    with TestClient(create_app(data / "repository", data=data)) as client:
        yield client


def _rows(data) -> list[HelpRequest]:
    engine = engine_for(data)
    with Session(engine) as session:
        rows = list(session.exec(select(HelpRequest).order_by(HelpRequest.id)))
    engine.dispose()
    return rows


def _post(client, body, key=None, **headers):
    return client.post("/api/requests", json=body, headers={"Idempotency-Key": key or idempotency_key(), **headers})


def test_a_request_is_stored_once_sealed_as_received(client, data):
    body, key = request_body(), idempotency_key()
    first = _post(client, body, key)
    assert first.status_code == 201
    assert RECEIPT.fullmatch(first.json()["receipt"])
    assert first.json()["status"] == "delivered"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", first.json()["updated_at"])
    repeat = _post(client, body, key)
    assert (repeat.status_code, repeat.json()) == (200, first.json())
    [row] = _rows(data)
    assert row.sealed == base64.b64decode(body["sealed"])  # the phone's box, byte for byte
    assert (row.kind, row.society, row.receipt) == ("tracing", "NP", first.json()["receipt"])


def test_the_same_key_with_another_body_is_refused(client, data):
    key = idempotency_key()
    assert _post(client, request_body(), key).status_code == 201
    other = _post(client, request_body(), key)  # sealed again: other bytes
    assert other.status_code == 422
    assert other.json()["detail"]["code"] == "idempotency_conflict"
    assert len(_rows(data)) == 1


@pytest.mark.parametrize(("kind", "fields", "field"), [
    ("tracing", {k: v for k, v in TRACING.items() if k != "requester_phone"}, "requester_phone"),
    ("tracing", dict(TRACING, requester_phone="9812345678"), "requester_phone"),
    ("tracing", dict(TRACING, consent=False), "consent"),
    ("tracing", dict(TRACING, last_country="Malaysia"), "last_country"),
    ("tracing", dict(TRACING, last_contact_date="2026-02-30"), "last_contact_date"),
    ("tracing", dict(TRACING, sought_name="  "), "sought_name"),
    ("tracing", dict(TRACING, passport="PA1234567"), "form"),  # an unknown field is never named back
    ("contact-me", dict(CONTACT_ME, help_kind="money"), "help_kind"),
    ("contact-me", {k: v for k, v in CONTACT_ME.items() if k != "city"}, "city"),
    ("safe", dict(SAFE, message="x" * 501), "message"),
    ("safe", dict(SAFE, family_phone="+1"), "family_phone"),
])
def test_a_wrong_field_is_named_and_nothing_is_stored(client, data, kind, fields, field):
    answer = _post(client, request_body(kind, fields))
    assert answer.status_code == 422
    detail = answer.json()["detail"]
    assert (detail["code"], detail["field"]) == ("invalid_field", field)
    assert f"'{field}'" in detail["message"]
    # The value itself never comes back (it may be personal).
    assert not any(str(value) in detail["message"] for value in fields.values() if len(str(value)) > 4)
    assert _rows(data) == []


@pytest.mark.parametrize(("change", "field"), [
    ({"kind": "lost"}, "kind"), ({"v": 2}, "v"), ({"route": []}, "route"), ({"route": ["Nepal"]}, "route.0"),
    ({"key_id": "x"}, "key_id"),
])
def test_a_wrong_envelope_field_is_named(client, change, field):
    answer = _post(client, request_body() | change)
    assert (answer.status_code, answer.json()["detail"]["field"]) == (422, field)


@pytest.mark.parametrize("make", [
    lambda body: body | {"key_id": "0123456789abcdef"},  # a key the server never had
    lambda body: body | {"sealed": "not base64!"},
    lambda body: body | {"sealed": base64.b64encode(SealedBox(PrivateKey.generate().public_key).encrypt(b"{}")).decode()},
    lambda body: body | {"sealed": base64.b64encode(b"x" * 80).decode()},
])
def test_a_box_that_does_not_open_is_bad_seal(client, data, make):
    answer = _post(client, make(request_body()))
    assert (answer.status_code, answer.json()["detail"]["code"]) == (422, "bad_seal")
    assert _rows(data) == []


@pytest.mark.parametrize("raw", [
    b"[" * 5000 + b"]" * 5000,  # deeper than the JSON parser goes
    b'{"v": ' + b"9" * 5000 + b"}",  # an integer past Python's digit limit
])
def test_a_body_the_parser_cannot_take_is_bad_json_not_a_500(client, raw):
    answer = client.post("/api/requests", content=raw, headers={"Idempotency-Key": idempotency_key(),
                                                                "Content-Type": "application/json"})
    assert (answer.status_code, answer.json()["detail"]["code"]) == (400, "bad_json")


@pytest.mark.parametrize("sealed_text", [b"[" * 3000 + b"]" * 3000, b'{"name": ' + b"9" * 5000 + b"}"])
def test_a_sealed_form_the_parser_cannot_take_is_refused_by_name(client, data, sealed_text):
    answer = _post(client, request_body() | {"sealed": seal(sealed_text)})
    assert (answer.status_code, answer.json()["detail"]["field"]) == (422, "sealed")
    assert _rows(data) == []


def test_an_unknown_field_is_refused_without_repeating_its_name(client):
    answer = _post(client, request_body(fields=TRACING | {"QZSECRETNAME": "x"}))
    assert answer.status_code == 422 and "QZSECRETNAME" not in answer.text


def test_malformed_calls_get_json_errors(client):
    assert _post(client, request_body(), key="short").json()["detail"]["code"] == "idempotency_key"
    missing = client.post("/api/requests", json=request_body())
    assert (missing.status_code, missing.json()["detail"]["code"]) == (400, "idempotency_key")
    not_json = client.post("/api/requests", content=b"{", headers={"Idempotency-Key": idempotency_key(),
                                                                     "Content-Type": "application/json"})
    assert (not_json.status_code, not_json.json()["detail"]["code"]) == (400, "bad_json")
    plain = client.post("/api/requests", content=json.dumps(request_body()),
                        headers={"Idempotency-Key": idempotency_key(), "Content-Type": "text/plain"})
    assert (plain.status_code, plain.json()["detail"]["code"]) == (415, "unsupported_media_type")
    big = request_body() | {"padding": "x" * 17_000}
    assert _post(client, big).status_code == 413
    # Streamed without a length, it is cut off as well.
    streamed = client.post("/api/requests", content=iter([json.dumps(big).encode()]),
                           headers={"Idempotency-Key": idempotency_key(), "Content-Type": "application/json"})
    assert (streamed.status_code, streamed.json()["detail"]["code"]) == (413, "too_large")


@pytest.mark.parametrize(("kind", "route", "society"), [
    ("tracing", ["NP", "MY"], "NP"),
    ("contact-me", ["OM", "BD"], "BD"),  # Oman has no National Society: the next country's
    ("contact-me", ["OM"], None),  # no Society on the route: admins see it and refer it
    ("safe", ["ZZ", "PH"], "PH"),
])
def test_a_request_goes_to_the_first_country_with_a_society(client, data, kind, route, society):
    assert _post(client, request_body(kind, route=route)).status_code == 201
    assert _rows(data)[0].society == society


def test_the_content_names_the_societies():
    known = societies()
    assert {"NP", "BD", "MY", "PH"} <= known
    assert "OM" not in known


def _proof(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_status_and_withdraw_by_receipt_with_the_requesters_proof(client, data):
    key = idempotency_key()
    receipt = _post(client, request_body(), key).json()["receipt"]
    assert client.get("/api/requests/ABCD-EFGH-JKMN-PQRS", headers=_proof(key)).status_code == 404
    engine = engine_for(data)
    with Session(engine) as session:
        store.set_status(session, receipt, "NP", "in_progress", message="We are looking. We will call you.")
        store.add_note(session, receipt, "NP", "caseworker@example.org", "called the family")
        store.refer(session, receipt, "NP", "MY")
    # Typed by hand: lower case, O for 0, no dashes.
    typed = receipt.replace("-", "").lower().replace("0", "o")
    answer = client.get(f"/api/requests/{typed}", headers=_proof(key))
    assert answer.headers["cache-control"] == "no-store"  # it carries the caseworker's words
    status = answer.json()
    assert status | {"updated_at": None} == {"receipt": receipt, "status": "in_progress", "updated_at": None,
                                             "message": "We are looking. We will call you."}
    withdrawn = client.post(f"/api/requests/{receipt}/withdraw", headers=_proof(key))
    assert (withdrawn.status_code, withdrawn.json()["status"], withdrawn.json()["message"]) == (200, "withdrawn", None)
    assert client.get(f"/api/requests/{receipt}", headers=_proof(key)).json()["status"] == "withdrawn"
    [row] = _rows(data)
    assert (row.sealed, row.key_id, row.route) == (None, None, "")  # nor where the people are
    with Session(engine) as session:
        assert list(session.exec(select(RequestNote))) == []
        assert list(session.exec(select(Referral))) == []
    engine.dispose()
    assert client.post("/api/requests/ABCD-EFGH-JKMN-PQRS/withdraw", headers=_proof(key)).status_code == 404


def test_a_receipt_alone_reads_and_withdraws_nothing_and_says_nothing(client, data):
    """Staff see receipts (page addresses, titles, the inbox, a referring Society): without the
    phone's proof a receipt answers exactly as one no request has, and the request stays."""
    key, other_key = idempotency_key(), idempotency_key()
    receipt = _post(client, request_body(), key).json()["receipt"]
    _post(client, request_body("safe"), other_key)
    engine = engine_for(data)
    with Session(engine) as session:
        store.set_status(session, receipt, "NP", "in_progress", message="We will call you after 9 at night.")
    unknown = client.get("/api/requests/ABCD-EFGH-JKMN-PQRS")
    assert unknown.status_code == 404 and unknown.json()["detail"]["code"] == "unknown_receipt"
    wrong_proofs = [{}, _proof(idempotency_key()), _proof(other_key), _proof(""), _proof(key[:-1]),
                    _proof(key + "x"), {"Authorization": key}, {"Authorization": f"Basic {key}"},
                    {"Idempotency-Key": key}, {"Authorization": "Bearer ключ".encode()}]
    for headers in wrong_proofs:
        for answer in (client.get(f"/api/requests/{receipt}", headers=headers),
                       client.post(f"/api/requests/{receipt}/withdraw", headers=headers)):
            assert (answer.status_code, answer.content) == (404, unknown.content), headers
    with Session(engine) as session:  # still there, as it was, for its Society's caseworker
        opened = store.open_request(session, receipt, "NP", keyring=load_keyring(data, REQUEST_KEYS_FILE))
        assert (opened.status, opened.message, opened.fields) == ("in_progress", "We will call you after 9 at night.",
                                                                  TRACING)
    engine.dispose()
    mine = client.get(f"/api/requests/{receipt}", headers=_proof(key))
    assert (mine.status_code, mine.json()["message"]) == (200, "We will call you after 9 at night.")


def test_each_client_address_is_rate_limited(tmp_path, data):
    with TestClient(create_app(data / "repository", data=data, limits=Limits(intake_per_minute=3))) as client:
        answers = [_post(client, request_body()).status_code for _ in range(3)]
        assert answers == [201, 201, 201]
        limited = client.get("/api/requests/ABCD-EFGH-JKMN-PQRS")
        assert (limited.status_code, limited.json()["detail"]["code"]) == (429, "too_many_requests")
        assert 1 <= int(limited.headers["retry-after"]) <= 20


def test_over_http_concurrent_repeats_store_one_request_and_addresses_have_their_own_limit(data):
    with serving_process(data, workers=2, options=["--intake-per-minute", "5"]) as serving:
        body, key = request_body(), idempotency_key()

        def send(address: str) -> httpx.Response:
            return httpx.post(f"{serving.base}/api/requests", json=body, timeout=30,
                              headers={"Idempotency-Key": key, "X-Forwarded-For": address})

        # 20 repeats at once, from 20 addresses (a proxy in front says which).
        with concurrent.futures.ThreadPoolExecutor(20) as pool:
            answers = list(pool.map(send, [f"10.0.0.{n}" for n in range(20)]))
        assert sorted({a.status_code for a in answers}) in ([200, 201], [201])
        assert [a.status_code for a in answers].count(201) == 1
        assert len({a.json()["receipt"] for a in answers}) == 1
        assert len(_rows(data)) == 1
        # One address past its limit gets 429 with Retry-After; another still gets through.
        answers = [send("10.0.1.1") for _ in range(30)]
        codes = [answer.status_code for answer in answers]
        assert 1 <= codes.count(200) <= 10  # 5 a minute in each of the 2 workers
        assert codes.count(429) == 30 - codes.count(200)
        assert all(1 <= int(a.headers["retry-after"]) <= 20 for a in answers if a.status_code == 429)
        assert send("10.0.1.2").status_code == 200


def test_500_requests_sent_with_duplicates_are_stored_exactly_once(data):
    requests = [(idempotency_key(), request_body(random.choice(["tracing", "contact-me", "safe"]))) for _ in range(500)]
    sends = [request for request in requests for _ in range(random.randint(1, 3))]
    random.Random(13).shuffle(sends)
    with serving_process(data, workers=2, options=["--intake-per-minute", "100000"]) as serving, \
            httpx.Client(base_url=serving.base, timeout=30) as http:
        def send(request):
            key, body = request
            answer = http.post("/api/requests", json=body, headers={"Idempotency-Key": key})
            assert answer.status_code in (200, 201), answer.text
            return key, answer.json()["receipt"]

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(send, sends))
    receipts = {}
    for key, receipt in answers:
        assert receipts.setdefault(key, receipt) == receipt  # every repeat got the first receipt
    rows = _rows(data)
    assert len(rows) == 500
    assert {row.idempotency_key: row.receipt for row in rows} == receipts


def test_over_http_a_body_is_bounded_and_only_the_intake_takes_one(data):
    with serving_process(data) as serving, httpx.Client(base_url=serving.base, timeout=10) as http:
        headers = {"Idempotency-Key": idempotency_key()}
        big = http.post("/api/requests", json=request_body() | {"padding": "x" * 17_000}, headers=headers)
        assert (big.status_code, big.json()["detail"]["code"]) == (413, "too_large")
        chunked = http.post("/api/requests", content=iter([b"{}"]), headers=headers | {"Content-Type": "application/json"})
        assert (chunked.status_code, chunked.json()["detail"]["code"]) == (411, "length_required")
        assert http.post("/repository/metadata/timestamp.json", content=b"{}").status_code == 413
        assert http.post("/api/requests", json=request_body(), headers=headers).status_code == 201


def test_a_server_without_its_request_key_says_so_and_recovers_once_it_is_there(tmp_path, server_database):
    data = tmp_path / "data"
    with TestClient(create_app(data / "repository", data=data)) as client:
        missing = _post(client, request_body())
        assert (missing.status_code, missing.json()["detail"]["code"]) == (503, "no_request_key")
        server_data(data)  # the key arrives (restored from its backup)
        assert _post(client, request_body()).status_code == 201


def test_an_empty_optional_box_is_not_given(client, data):
    blank = dict(TRACING, employer_or_agency="", last_contact_date="", message="  ")
    assert _post(client, request_body("tracing", blank)).status_code == 201
    assert _post(client, request_body("safe", dict(SAFE, family_phone=None, message=""))).status_code == 201
    # Required ones stay required, blank or not.
    answer = _post(client, request_body("tracing", dict(TRACING, last_city="")))
    assert (answer.status_code, answer.json()["detail"]["field"]) == (422, "last_city")
