"""Identity Pool credentials: fetched with the user's ID token, cached until near expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from accounts import identity
from core import aws


@pytest.fixture(autouse=True)
def _fresh_cache():
    identity.identity_cache_clear()
    yield
    identity.identity_cache_clear()


@pytest.fixture
def identity_calls(aws_stack):
    """Record the Cognito Identity operations made, with their parameters."""
    calls: list[tuple[str, dict]] = []

    def before(model, params, **_kwargs):
        calls.append((model.name, params))

    events = aws.client("cognito-identity").meta.events
    events.register("before-parameter-build.cognito-identity", before)
    yield calls
    events.unregister("before-parameter-build.cognito-identity", before)


def test_credentials_come_from_the_pool_with_the_id_token_under_the_user_pool_login(
    identity_calls, settings
):
    creds = identity.identity_credentials(user_key="sub-1", id_token="header.payload.sig")

    assert creds.identity_id.startswith(f"{aws.settings().region}:")
    assert creds.access_key_id and creds.secret_access_key and creds.session_token
    assert [name for name, _ in identity_calls] == ["GetId", "GetCredentialsForIdentity"]
    login_key = f"cognito-idp.{aws.settings().region}.amazonaws.com/{settings.COGNITO_USER_POOL_ID}"
    for _, params in identity_calls:
        assert params["Logins"] == {login_key: "header.payload.sig"}
    assert identity_calls[0][1]["IdentityPoolId"] == settings.COGNITO_IDENTITY_POOL_ID
    assert identity_calls[1][1]["IdentityId"] == creds.identity_id


def test_fresh_credentials_are_reused_without_calling_cognito_again(identity_calls):
    first = identity.identity_credentials(user_key="sub-1", id_token="token")
    second = identity.identity_credentials(user_key="sub-1", id_token="token")

    assert second is first
    assert len(identity_calls) == 2


def test_credentials_near_expiry_are_refreshed_keeping_the_identity(identity_calls):
    first = identity.identity_credentials(user_key="sub-1", id_token="token")
    later = first.expires_at - identity.REFRESH_MARGIN + timedelta(seconds=1)

    refreshed = identity.identity_credentials(user_key="sub-1", id_token="token", now=later)

    assert refreshed is not first
    assert refreshed.identity_id == first.identity_id
    # The identity id is stable: only GetCredentialsForIdentity is repeated.
    assert [name for name, _ in identity_calls] == [
        "GetId",
        "GetCredentialsForIdentity",
        "GetCredentialsForIdentity",
    ]


def test_each_user_has_their_own_cache_entry(identity_calls):
    identity.identity_credentials(user_key="sub-1", id_token="token-1")
    identity.identity_credentials(user_key="sub-2", id_token="token-2")

    assert [name for name, _ in identity_calls].count("GetId") == 2


def test_forgetting_a_user_drops_their_credentials(identity_calls):
    identity.identity_credentials(user_key="sub-1", id_token="token")
    identity.identity_forget(user_key="sub-1")
    identity.identity_credentials(user_key="sub-1", id_token="token")

    assert [name for name, _ in identity_calls].count("GetId") == 2


def test_no_id_token_means_no_credentials(aws_stack):
    with pytest.raises(identity.IdentityUnavailable):
        identity.identity_credentials(user_key="sub-1", id_token="")


def test_an_unreachable_pool_is_reported_not_crashed(aws_stack, aws_down):
    with pytest.raises(identity.IdentityUnavailable):
        identity.identity_credentials(user_key="sub-1", id_token="token")


def test_expiry_is_timezone_aware(aws_stack):
    creds = identity.identity_credentials(user_key="sub-1", id_token="token")

    assert creds.expires_at.tzinfo is not None
    assert creds.fresh(now=datetime.now(UTC) - timedelta(days=365))
