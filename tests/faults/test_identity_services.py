"""Cognito, its JWKS and the Identity Pool failing: a clear answer, never a 500.

Sign-in shows a form error, an API token that cannot be checked is a 401 JSON (the site never
trusts what it could not verify), a direct upload falls back to the form with a 503 JSON.
"""

from __future__ import annotations

import json
import socket

import pytest
from django.urls import reverse

from accounts import cognito, sessions, verifier
from tests.accounts.conftest import PASSWORD, account_create
from tests.accounts.users import tokens_in_session


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def member(aws_stack):
    return account_create(aws_stack.user_pool_id, email="carol@example.com")


@pytest.fixture
def access_token(member) -> str:
    return cognito.password_auth(email=member.email, password=PASSWORD).access_token


def test_cognito_unreachable_at_sign_in_is_a_form_error(quiet_client, member, faults):
    faults.fail("cognito-idp", "InitiateAuth", "AdminInitiateAuth", kind="connect")

    response = quiet_client.post(
        reverse("accounts:login"), {"email": member.email, "password": PASSWORD}
    )

    assert response.status_code in (200, 400, 503)
    assert "unavailable right now" in response.content.decode()
    assert not sessions.signed_in(session=quiet_client.session)


def test_cognito_throttling_at_sign_in_is_a_form_error(quiet_client, member, faults):
    faults.fail("cognito-idp", kind="TooManyRequestsException")

    response = quiet_client.post(
        reverse("accounts:login"), {"email": member.email, "password": PASSWORD}
    )

    assert response.status_code != 500
    assert not sessions.signed_in(session=quiet_client.session)


def test_a_jwks_endpoint_that_is_down_gives_a_401_json_not_a_500(
    quiet_client, access_token, settings
):
    settings.COGNITO_JWKS_URL = closed_port_url() + "/jwks.json"
    verifier.reset_verifier()

    response = quiet_client.get("/api/photos", HTTP_AUTHORIZATION=f"Bearer {access_token}")

    assert response.status_code == 401
    assert response.json()["code"] == "jwks_unavailable"


def test_keys_fetched_once_keep_working_when_the_jwks_endpoint_goes_down(
    quiet_client, access_token, aws_stack, monkeypatch
):
    assert (
        quiet_client.get("/api/photos", HTTP_AUTHORIZATION=f"Bearer {access_token}").status_code
        == 200
    )
    cached = verifier.get_verifier()

    def down(*_args, **_kwargs):
        raise OSError("JWKS endpoint down")

    monkeypatch.setattr("urllib.request.urlopen", down)

    again = quiet_client.get("/api/photos", HTTP_AUTHORIZATION=f"Bearer {access_token}")

    assert verifier.get_verifier() is cached
    assert again.status_code == 200


def test_the_identity_pool_refusing_credentials_makes_direct_upload_fall_back(
    alice_web, aws_stack, faults
):
    tokens_in_session(alice_web, "alice")
    faults.fail("cognito-identity", kind="NotAuthorizedException")

    response = alice_web.post(
        reverse("gallery:upload_presign"),
        json.dumps({"name": "Direct", "content_type": "image/jpeg", "size": 1000}),
        content_type="application/json",
    )

    assert response.status_code == 503
    assert response.json()["code"] == "unavailable"
    assert "form will send the file" in response.json()["message"]
