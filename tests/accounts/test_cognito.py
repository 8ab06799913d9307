"""Specification of accounts.cognito: User Pool calls, SECRET_HASH and user-safe errors."""

from __future__ import annotations

import base64
import hashlib
import hmac

import boto3
import pytest
from botocore.exceptions import EndpointConnectionError
from botocore.stub import Stubber

from accounts import cognito
from accounts.cognito import Challenge, CognitoError, Tokens
from core import aws


@pytest.fixture(scope="module")
def stub_client():
    """One cognito-idp client for the stubbed tests (never sent anywhere)."""
    return boto3.session.Session().client(
        "cognito-idp",
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",
    )


@pytest.fixture
def stubbed(settings, stub_client, monkeypatch):
    """A Stubber on the client accounts.cognito uses (no network)."""
    settings.COGNITO_APP_CLIENT_ID = "client-1"
    settings.COGNITO_APP_CLIENT_SECRET = ""
    monkeypatch.setattr(cognito, "_idp", lambda: stub_client)
    with Stubber(stub_client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def test_secret_hash_is_hmac_sha256_of_username_and_client_id(settings):
    settings.COGNITO_APP_CLIENT_ID = "client-1"
    settings.COGNITO_APP_CLIENT_SECRET = "shh"
    expected = base64.b64encode(
        hmac.new(b"shh", b"ann@example.comclient-1", hashlib.sha256).digest()
    ).decode()
    assert cognito.secret_hash(username="ann@example.com") == expected


def test_no_secret_no_hash(settings):
    settings.COGNITO_APP_CLIENT_SECRET = ""
    assert cognito.secret_hash(username="x") is None


def test_sign_in_sends_secret_hash_when_the_client_has_a_secret(stubbed, settings):
    settings.COGNITO_APP_CLIENT_SECRET = "shh"
    stubbed.add_response(
        "initiate_auth",
        {
            "AuthenticationResult": {
                "IdToken": "i",
                "AccessToken": "a",
                "RefreshToken": "r",
                "ExpiresIn": 600,
            }
        },
        {
            "ClientId": "client-1",
            "AuthFlow": "USER_PASSWORD_AUTH",
            "AuthParameters": {
                "USERNAME": "ann@example.com",
                "PASSWORD": "pw",
                "SECRET_HASH": cognito.secret_hash(username="ann@example.com"),
            },
        },
    )
    outcome = cognito.password_auth(email=" Ann@Example.com ", password="pw")
    assert outcome == Tokens(id_token="i", access_token="a", refresh_token="r", expires_in=600)


def test_refresh_hashes_the_cognito_username_and_keeps_the_refresh_token(stubbed, settings):
    settings.COGNITO_APP_CLIENT_SECRET = "shh"
    stubbed.add_response(
        "initiate_auth",
        {"AuthenticationResult": {"IdToken": "i2", "AccessToken": "a2", "ExpiresIn": 3600}},
        {
            "ClientId": "client-1",
            "AuthFlow": "REFRESH_TOKEN_AUTH",
            "AuthParameters": {
                "REFRESH_TOKEN": "r",
                "SECRET_HASH": cognito.secret_hash(username="sub-1"),
            },
        },
    )
    tokens = cognito.tokens_refresh(refresh_token="r", username="sub-1")
    assert tokens.refresh_token == "r"
    assert tokens.id_token == "i2"


def test_a_challenge_comes_back_as_a_challenge(stubbed):
    stubbed.add_response(
        "initiate_auth",
        {
            "ChallengeName": "SOFTWARE_TOKEN_MFA",
            "Session": "s" * 32,
            "ChallengeParameters": {"USER_ID_FOR_SRP": "sub-9"},
        },
    )
    outcome = cognito.password_auth(email="a@example.com", password="pw")
    assert outcome == Challenge(
        name="SOFTWARE_TOKEN_MFA",
        session="s" * 32,
        username="sub-9",
        parameters={"USER_ID_FOR_SRP": "sub-9"},
    )


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("NotAuthorizedException", "Incorrect email or password."),
        ("UserNotFoundException", "Incorrect email or password."),
        ("TooManyRequestsException", "Too many attempts"),
        ("LimitExceededException", "Too many attempts"),
        ("CodeMismatchException", "That code is wrong"),
        ("ExpiredCodeException", "That code is wrong"),
        ("UserNotConfirmedException", "confirm your email"),
        ("PasswordResetRequiredException", "reset your password"),
        ("InternalErrorException", "Something went wrong"),
    ],
)
def test_errors_become_user_safe_messages(stubbed, code, message):
    stubbed.add_client_error(
        "initiate_auth", service_error_code=code, service_message="secret detail"
    )
    with pytest.raises(CognitoError) as caught:
        cognito.password_auth(email="a@example.com", password="pw")
    assert caught.value.code == code
    assert message in caught.value.message
    assert "secret detail" not in caught.value.message


def test_password_policy_errors_keep_cognitos_explanation(stubbed):
    stubbed.add_client_error(
        "sign_up",
        service_error_code="InvalidPasswordException",
        service_message="Password did not conform with policy: must have uppercase characters",
    )
    with pytest.raises(CognitoError) as caught:
        cognito.user_sign_up(email="a@example.com", password="weakpassword", display_name="A")
    assert caught.value.message.startswith("That password needs an uppercase letter. At least")


def test_server_errors_read_as_unavailable(stubbed):
    stubbed.add_client_error("initiate_auth", service_error_code="500", http_status_code=500)
    with pytest.raises(CognitoError) as caught:
        cognito.password_auth(email="a@example.com", password="pw")
    assert caught.value.code == cognito.UNAVAILABLE


def test_connection_errors_read_as_unavailable(monkeypatch):
    class Down:
        def initiate_auth(self, **kwargs):
            raise EndpointConnectionError(endpoint_url="http://127.0.0.1:9")

    monkeypatch.setattr(cognito, "_idp", Down)
    with pytest.raises(CognitoError) as caught:
        cognito.password_auth(email="a@example.com", password="pw")
    assert caught.value.code == cognito.UNAVAILABLE
    assert "unavailable" in caught.value.message


@pytest.fixture
def cognito_on_aws(monkeypatch):
    """Settings that send Cognito calls to AWS itself (the stub answers them)."""
    monkeypatch.setenv(
        "AWS_ENDPOINT_URL_COGNITO_IDP", "https://cognito-idp.us-east-1.amazonaws.com"
    )
    aws.reset()
    yield
    monkeypatch.undo()
    aws.reset()


def test_revoke_token_reports_success(stubbed, cognito_on_aws):
    stubbed.add_response("revoke_token", {}, {"ClientId": "client-1", "Token": "r"})
    assert cognito.token_revoke(refresh_token="r") is True


@pytest.mark.parametrize("code", ["UnsupportedOperationException", "UnsupportedTokenTypeException"])
def test_revoke_token_is_skipped_where_unsupported(stubbed, cognito_on_aws, code):
    stubbed.add_client_error("revoke_token", service_error_code=code)
    assert cognito.token_revoke(refresh_token="r") is False


def test_revoke_token_is_not_sent_to_the_local_emulator(aws_stack):
    # moto has no RevokeToken: it would answer HTTP 500 and print a traceback in `make run`.
    sent = []
    client = aws.client("cognito-idp")
    record = lambda model, **_kwargs: sent.append(model.name)  # noqa: E731
    client.meta.events.register("before-call.cognito-idp", record)
    try:
        assert cognito.token_revoke(refresh_token="anything") is False
    finally:
        client.meta.events.unregister("before-call.cognito-idp", record)
    assert sent == []


def test_input_botocore_refuses_is_a_form_error_not_an_outage(settings, stub_client, monkeypatch):
    # Refused on this side, before any request is sent.
    settings.COGNITO_APP_CLIENT_ID = "client-1"
    monkeypatch.setattr(cognito, "_idp", lambda: stub_client)
    with pytest.raises(CognitoError) as caught:
        cognito.user_confirm(email="a@example.com", code="")
    assert caught.value.code == "InvalidParameterException"
    assert "check what you entered" in caught.value.message


def test_the_pre_sign_up_triggers_refusal_reaches_the_user(stubbed):
    stubbed.add_client_error(
        "sign_up",
        service_error_code="UserLambdaValidationException",
        service_message="PreSignUp failed with error Sign-up with an address at x.example is "
        "not allowed on this site.",
    )
    with pytest.raises(CognitoError) as caught:
        cognito.user_sign_up(email="a@x.example", password="Pass-word-123", display_name="A")
    assert (
        caught.value.message == "Sign-up with an address at x.example is not allowed on this site."
    )
