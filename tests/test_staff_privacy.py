"""What staff type stays out of the server's log and files: a served process, a wrong and a right
login, a note, a second factor; the log holds no email, password or note (nor a requester's
proof, which no staff page shows either), and the database
files hold no password and no note in plain (notes are sealed like the request)."""

from __future__ import annotations

import httpx

from sync_server.db import engine_for
from sync_server.local_process import serving_process
from tests.intake_helpers import idempotency_key, request_body, server_data
from tests.staff_helpers import PASSWORD, add_account, csrf_token, log_in

EMAIL = "marker.caseworker@example.org"
NOTE = "NOTE-MARKER-5b1e a cousin in Penang"


def test_staff_input_reaches_no_log_and_no_plain_file(tmp_path):
    data = server_data(tmp_path / "server")
    log = tmp_path / "serve.log"
    with log.open("wb") as output, serving_process(data, output=output) as server, \
            httpx.Client(base_url=server.base, timeout=60) as http:
        engine = engine_for(data)
        add_account(engine, EMAIL)
        engine.dispose()
        proof = idempotency_key()  # the requester's proof: no staff page may show it
        receipt = http.post("/api/requests", json=request_body("tracing"),
                            headers={"Idempotency-Key": proof}).json()["receipt"]
        assert log_in(http, EMAIL, password="WRONG-PASSWORD-MARKER").status_code == 401
        assert log_in(http, EMAIL).status_code == 303
        page = http.get(f"/staff/inbox/{receipt}")
        http.post(f"/staff/inbox/{receipt}/note", data={"csrf_token": csrf_token(page.text), "text": NOTE})
        opened = http.get(f"/staff/inbox/{receipt}").text
        assert NOTE in opened  # it was saved, and opens for display
        assert receipt in opened and proof not in opened and proof not in http.get("/staff/inbox").text
        http.get("/staff/account/second-factor")
    logged = log.read_bytes()
    for secret in (EMAIL, PASSWORD, "WRONG-PASSWORD-MARKER", NOTE, "NOTE-MARKER", proof):
        assert secret.encode() not in logged, f"{secret!r} is in the server's log"
    files = b"".join(path.read_bytes() for path in data.glob("server.db*"))
    for secret in (PASSWORD, "WRONG-PASSWORD-MARKER", "NOTE-MARKER"):
        assert secret.encode() not in files, f"{secret!r} is in the database files"
    assert EMAIL.encode() in files  # the check can see plain text: the account's email is stored as is
