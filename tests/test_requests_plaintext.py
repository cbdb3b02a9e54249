"""No plaintext at rest: marker strings sealed inside help requests (and in a caseworker's
note) appear nowhere in the server's files — server.db and its -wal/-shm, its log — nor in
PostgreSQL's data files and log. The receipt, stored in plain on purpose, is found there:
the scan reads the files that hold the rows. Nor does the log hold a requester's proof."""

import httpx
from sqlmodel import Session

from sync_server.db import engine_for
from sync_server.local_process import serving_process
from sync_server.paths import REQUEST_KEYS_FILE
from sync_server.requests import store
from sync_server.requests.keys import load_keyring
from tests.intake_helpers import CONTACT_ME, SAFE, TRACING, idempotency_key, request_body, server_data

MARKERS = {"tracing": dict(TRACING, sought_name="MARKER-SOUGHT-7Q2", relationship="MARKER-RELATION-7Q2",
                           last_city="MARKER-CITY-7Q2", requester_name="MARKER-REQUESTER-7Q2",
                           employer_or_agency="MARKER-AGENCY-7Q2", requester_phone="+9779841234567"),
           "contact-me": dict(CONTACT_ME, name="MARKER-NAME-7Q2", safe_time="MARKER-TIME-7Q2",
                              trusted_person="MARKER-TRUSTED-7Q2", message="MARKER-MESSAGE-7Q2"),
           "safe": dict(SAFE, name="MARKER-SAFE-7Q2", message="MARKER-WE-ARE-SAFE-7Q2")}
NOTE = "MARKER-NOTE-7Q2"
# Needles long enough not to turn up by chance: three bytes such as b"7Q2" do, in the 16 MB of
# random-looking bytes of a PostgreSQL write-ahead log segment.
SECRETS = [b"MARKER-", b"9841234567", NOTE.encode()]


def _files_holding(folder, needles: list[bytes]) -> dict[str, list[bytes]]:
    found = {}
    for path in folder.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            hits = [needle for needle in needles if needle in content or needle.decode().encode("utf-16-le") in content]
            if hits:
                found[str(path.relative_to(folder))] = hits
    return found


def test_markers_never_reach_the_servers_files_or_logs(tmp_path, server_database):
    data = server_data(tmp_path / "data")
    log = tmp_path / "serve.log"
    receipts, proofs = [], []
    with log.open("wb") as output, serving_process(data, output=output) as serving, \
            httpx.Client(base_url=serving.base, timeout=10) as http:
        for kind, fields in MARKERS.items():
            proofs.append(idempotency_key())
            answer = http.post("/api/requests", json=request_body(kind, fields), headers={"Idempotency-Key": proofs[-1]})
            assert answer.status_code == 201
            receipts.append(answer.json()["receipt"])
        # Refused ones too: a wrong field, and a form of another kind.
        refused = http.post("/api/requests", json=request_body("tracing", dict(MARKERS["tracing"], consent=False)),
                            headers={"Idempotency-Key": idempotency_key()})
        assert refused.status_code == 422
        assert not any(secret in refused.content for secret in SECRETS)
        engine = engine_for(data)
        with Session(engine) as session:
            store.add_note(session, receipts[0], "NP", "caseworker@example.org", NOTE,
                           keyring=load_keyring(data, REQUEST_KEYS_FILE))
        engine.dispose()
        wrong = idempotency_key()
        assert http.get(f"/api/requests/{receipts[0]}", headers={"Authorization": f"Bearer {wrong}"}).status_code == 404
        assert http.get(f"/api/requests/{receipts[0]}", headers={"Authorization": f"Bearer {proofs[0]}"}).status_code == 200
        assert http.post(f"/api/requests/{receipts[1]}/withdraw",
                         headers={"Authorization": f"Bearer {proofs[1]}"}).status_code == 200
        while_running = _files_holding(data, SECRETS)
        receipt_found = _files_holding(data, [receipts[0].encode()])
    assert while_running == {}
    assert _files_holding(data, SECRETS) == {}
    assert _files_holding(tmp_path, SECRETS) == {}  # the server's log beside the data folder
    assert log.stat().st_size > 0  # it did log (its start, the refused request...)
    # Nor the requester's proofs (the Idempotency-Keys), right or wrong: only the phone and the row hold one.
    proofs_found = _files_holding(tmp_path, [proof.encode() for proof in [*proofs, wrong]] + [b"Bearer "])
    assert [path for path in proofs_found if not path.startswith("data/server.db")] == []
    if server_database is None:
        assert receipt_found  # SQLite: the rows are in the files scanned
        return
    server_database.checkpoint()
    assert _files_holding(server_database.folder, SECRETS) == {}  # data files, write-ahead log, server.log
    assert _files_holding(server_database.folder, [receipts[0].encode()])
