"""The staff tables on both databases the server runs on (SQLite, PostgreSQL): migration
0002_staff makes exactly what the models say, and a caseworker's day works on each."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient
from sqlmodel import Session, SQLModel, select

import sync_server.staff.models  # noqa: F401  (registers the staff tables)
from sync_server.db import engine_for, migrate_database
from sync_server.serving.app import create_app
from sync_server.staff.models import AuditEntry
from tests.intake_helpers import idempotency_key, request_body, server_data
from tests.staff_helpers import add_account, csrf_token, log_in


def test_migration_0002_makes_the_staff_tables_the_models_describe(tmp_path, server_database):
    engine = engine_for(tmp_path)
    migrate_database(engine)
    only_staff = {"compare_type": True,  # other tables belong to other migrations (and the phone's models)
                  "include_name": lambda name, kind, _parent: kind != "table" or name.startswith("staff_"),
                  "include_object": lambda _obj, name, kind, _reflected, _other: kind != "table" or name.startswith("staff_")}
    with engine.connect() as connection:
        assert {"staff_account", "staff_session", "staff_login_throttle", "staff_audit"} <= set(
            connection.dialect.get_table_names(connection))
        differences = compare_metadata(MigrationContext.configure(connection, opts=only_staff), SQLModel.metadata)
    engine.dispose()
    assert differences == []


def test_a_caseworker_opens_and_moves_on_a_request(tmp_path, server_database):
    data = server_data(tmp_path / "server")
    app = create_app(data / "repository", data=data)
    with TestClient(app) as client:
        key = idempotency_key()
        receipt = client.post("/api/requests", json=request_body("tracing"),
                              headers={"Idempotency-Key": key}).json()["receipt"]
        add_account(app.state.db_engine, "case@example.org")
        assert log_in(client, "case@example.org").status_code == 303
        opened = client.get(f"/staff/inbox/{receipt}")
        assert opened.status_code == 200 and "Sita Example" in opened.text
        client.post(f"/staff/inbox/{receipt}/status", data={"csrf_token": csrf_token(opened.text),
                                                           "status": "in_progress", "message": "We are on it."},
                    follow_redirects=False)
        status = client.get(f"/api/requests/{receipt}", headers={"Authorization": f"Bearer {key}"}).json()
        assert (status["status"], status["message"]) == ("in_progress", "We are on it.")
    with Session(app.state.db_engine) as session:
        actions = [entry.action for entry in session.exec(select(AuditEntry).order_by(AuditEntry.id))]
    app.state.db_engine.dispose()
    assert actions == ["login", "request_open", "status_set"]


def test_consent_is_recorded_on_tracing_requests_only(tmp_path):
    data = server_data(tmp_path / "server")
    app = create_app(data / "repository", data=data)
    with TestClient(app) as client:
        receipts = {kind: client.post("/api/requests", json=request_body(kind),
                                      headers={"Idempotency-Key": idempotency_key()}).json()["receipt"]
                    for kind in ("tracing", "safe")}
        add_account(app.state.db_engine, "case@example.org")
        log_in(client, "case@example.org")
        token = csrf_token(client.get("/staff/inbox").text)
        for kind, receipt in receipts.items():
            client.post(f"/staff/inbox/{receipt}/consent", data={"csrf_token": token, "answer": "refused"})
        pages = {kind: client.get(f"/staff/inbox/{receipt}").text for kind, receipt in receipts.items()}
    assert "they do not want anything about them shared" in pages["tracing"].split("<h2>Notes</h2>")[1]
    assert "Restoring Family Links" not in pages["safe"] and "they do not want" not in pages["safe"]
