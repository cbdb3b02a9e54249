"""schemathesis against the intake API's OpenAPI: generated calls (bodies, headers, receipts)
never get a 5xx, and every answer matches the documented schema (status codes included)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from sync_server.serving.app import create_app
from sync_server.serving.server import Limits
from tests.intake_helpers import server_data

OPERATIONS = ["POST /api/requests", "GET /api/requests/{receipt}", "POST /api/requests/{receipt}/withdraw"]


@pytest.fixture(scope="module")
def intake_schema(tmp_path_factory):
    data = server_data(tmp_path_factory.mktemp("schema") / "data")
    app = create_app(data / "repository", data=data, limits=Limits(intake_per_minute=100_000))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_the_schema_lists_every_intake_operation(intake_schema):
    listed = {f"{op.ok().method.upper()} {op.ok().path}" for op in intake_schema.get_all_operations()}
    assert set(OPERATIONS) <= listed


@pytest.mark.parametrize("name", OPERATIONS)
def test_generated_calls_get_no_5xx_and_match_the_schema(intake_schema, name):
    method, path = name.split(" ")
    operation = intake_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case):
        # Not positive_data_acceptance: a schema cannot say "sealed to this server's key", so
        # most generated bodies are rightly refused (bad_seal, invalid_field).
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    check()
