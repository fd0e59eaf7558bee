"""Schemathesis against the app's own OpenAPI schema: no 5xx anywhere, and every response with a
documented status matches its schema. Bounded: a few examples per operation (a few hundred in all).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argraph.app import create_app
from tests.api_fixtures import settings_for
from tests.conftest import Built


@pytest.fixture(scope="module")
def fuzz_app(mini_built: Built) -> Iterator[FastAPI]:
    app = create_app(settings_for(mini_built.dist, query_timeout_s=3))
    yield app
    runner = getattr(app.state, "runner", None)
    if runner is not None:
        runner.close()


if TYPE_CHECKING:
    import schemathesis


# schemathesis is imported by the fixture, not by the module: every test worker collects this
# file, and schemathesis brings some 200 modules (opentelemetry, graphql, werkzeug) that only
# the worker running this test needs.
@pytest.fixture(scope="module")
def api_schema(fuzz_app: FastAPI) -> schemathesis.BaseSchema:
    import schemathesis

    return schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)


# schemathesis' pytest plugin (`from_fixture`) does not run under pytest 9: each operation gets a
# hypothesis test of its own here instead.
EXAMPLES_PER_OPERATION = 10


def test_no_server_error_and_responses_match_the_schema(
    api_schema: schemathesis.BaseSchema,
) -> None:
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
    )

    checks = [not_a_server_error, response_schema_conformance, content_type_conformance]
    # Err.ok() raises: a broken schema fails the test
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 20
    calls = 0

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    @given(data=st.data())
    def check(operation: Any, data: st.DataObject) -> None:
        nonlocal calls
        case = data.draw(operation.as_strategy())
        response = case.call()
        calls += 1
        case.validate_response(response, checks=checks)
        for leak in ("Traceback", "/work/"):
            assert leak not in response.text, (case.path, response.text[:300])

    for operation in operations:
        check(operation)
    assert calls >= 100
    print(f"schemathesis: {len(operations)} operations, {calls} calls")
