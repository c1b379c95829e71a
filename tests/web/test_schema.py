"""The OpenAPI schema validates, and schemathesis finds no 5xx and no response that breaks it."""
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, given, settings
from tenants.tokens import api_token_create

from connector.channels import channels_selling
from connector.wsgi import application
from tests.web.conftest import tenant_data


def test_openapi_schema_validates():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)  # raises on an invalid OpenAPI 3 document
    paths = schema["paths"]
    for path in ["/api/connection/", *[f"/api/channels/{c.key}/settings/" for c in channels_selling()],
                 "/api/schedules/{id}/", "/api/runs/",
                 "/api/runs/{id}/events/", "/api/orders/{id}/retry/", "/api/jobs/{name}/run/", "/api/token/"]:
        assert path in paths, path


def test_schema_and_docs_are_served_with_local_assets(client, db):
    assert client.get("/api/schema/").status_code == 200
    html = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html and "cdn" not in html.lower()
    assert client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js").status_code == 200


CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.content_type_conformance,
]


@pytest.fixture
def keep_db_connection():
    """Like Django's test client: a WSGI request's end must not close the test's DB connection."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_api_has_no_5xx_and_keeps_to_its_schema(owner, keep_db_connection):
    """Every operation, fuzzed through the WSGI app as the owner (token auth), against a tenant with data.

    (Driven with Hypothesis directly: schemathesis' pytest plugin does not run under this pytest version.)
    """
    tenant_data(owner.tenant, "MINE")
    _, key = api_token_create(user=owner.user)
    api = schemathesis.openapi.from_wsgi("/api/schema/", application)
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) >= 15
    failures, calls = [], []
    for operation in operations:
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        @given(case=operation.as_strategy())
        def fuzz(case):
            response = case.call(headers={"Authorization": f"Token {key}"})
            calls.append(response.status_code)
            case.validate_response(response, checks=CHECKS)

        try:
            fuzz()
        except Exception as exc:  # collect every operation's failure, then report them together
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert not failures, "\n\n".join(failures)
    print(f"schemathesis: {len(operations)} operations, {len(calls)} calls, statuses {sorted(set(calls))}")
    assert len(calls) >= 10 * len(operations)  # it really exercised every operation
    assert {200, 400, 404} <= set(calls)
