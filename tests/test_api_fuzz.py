"""Fuzz the JSON API from its own OpenAPI schema (schemathesis): no input makes it answer 5xx.

The app runs in-process through WSGI against the suite's moto server; calls carry a real
Cognito access token from moto, so they get past authentication into the views. Examples per
operation are few (FUZZ_EXAMPLES) to keep `make test` short; raise it locally to dig deeper.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from accounts import cognito
from gallery import services
from tests.accounts.conftest import PASSWORD, account_create
from tests.gallery.conftest import jpeg

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture
def bearer(aws_stack) -> dict[str, str]:
    """A member's access token, and one photo of theirs so photo paths can hit something."""
    member = account_create(aws_stack.user_pool_id, email="fuzz@example.com")
    tokens = cognito.password_auth(email=member.email, password=PASSWORD)
    services.photo_create(
        owner_sub=member.sub,
        owner_name="Fuzz",
        name="fuzz target",
        data=jpeg(64, 48),
        uploader_ip="127.0.0.1",
    )
    return {"Authorization": f"Bearer {tokens.access_token}"}


@schema.parametrize()
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_no_generated_request_gets_a_server_error(case, bearer):
    case.headers = {**(case.headers or {}), **bearer}
    response = case.call()

    case.validate_response(response, checks=[not_a_server_error])
    # The token is valid: a 401 would mean the fuzzing only ever reached the authentication gate.
    assert response.status_code != 401, response.text[:200]
