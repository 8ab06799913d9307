"""The whole life of an account, through the web pages, against the local Cognito (moto)."""

from __future__ import annotations

import time

import pytest
from jose import jwt

from accounts.records import Profile, Session
from accounts.sessions import TOKENS as SESSION_TOKENS
from core import aws
from tests.accounts.users import current_user


def _tokens(client) -> dict:
    return client.session[SESSION_TOKENS]


def test_sign_up_confirm_sign_in_refresh_sign_out(client, aws_stack, settings):
    # Sign up: the page sends the visitor to the confirmation page with their email filled in.
    response = client.post(
        "/accounts/signup/",
        {
            "email": "Bob@Example.com",
            "display_name": "鲍勃 Bob",
            "new_password": "Sunny-day-2026",
            "new_password_again": "Sunny-day-2026",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm/?email=bob%40example.com"

    # Signing in before confirming leads back to the confirmation page.
    response = client.post(
        "/accounts/login/", {"email": "bob@example.com", "password": "Sunny-day-2026"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/confirm/")

    # Confirm (moto accepts any code).
    response = client.post("/accounts/confirm/", {"email": "bob@example.com", "code": "123456"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?email=bob%40example.com"
    assert 'value="bob@example.com"' in client.get(response["Location"]).content.decode()

    # Sign in: redirected to the validated next URL, session holds the token contract.
    response = client.post(
        "/accounts/login/",
        {"email": "bob@example.com", "password": "Sunny-day-2026", "next": "/photos/abc/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/photos/abc/"
    tokens = _tokens(client)
    assert set(tokens) == {"id_token", "access_token", "refresh_token", "expires_at"}
    assert isinstance(tokens["expires_at"], int) and tokens["expires_at"] > time.time()
    claims = jwt.get_unverified_claims(tokens["id_token"])
    user = current_user(client)
    assert user.username == claims["sub"]
    assert user.email == "bob@example.com"
    assert user.get_full_name() == "鲍勃 Bob"
    assert not user.has_usable_password()
    assert client.get("/accounts/password/change/").status_code == 200

    # moto runs no Lambda triggers: sign-in creates the profile the trigger would have.
    assert Profile.get(user.username).display_name == "鲍勃 Bob"

    # The session lives in DynamoDB, not in SQL.
    assert Session.get(client.session.session_key).expires_at is not None

    # Refresh: make the tokens look nearly expired; the next request gets new ones.
    session = client.session
    session[SESSION_TOKENS] = {**tokens, "expires_at": int(time.time()) + 10}
    session.save()
    response = client.get("/accounts/password/change/")
    assert response.status_code == 200
    refreshed = _tokens(client)
    assert refreshed["access_token"] != tokens["access_token"]
    assert refreshed["refresh_token"] == tokens["refresh_token"]
    assert refreshed["expires_at"] > time.time() + settings.COGNITO_REFRESH_MARGIN

    # Sign out: POST only; the Django session ends and Cognito refuses the refresh token.
    assert client.get("/accounts/logout/").status_code == 405
    old_key = client.session.session_key
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert SESSION_TOKENS not in client.session
    assert client.get("/accounts/password/change/").status_code == 302
    with pytest.raises(Session.DoesNotExist):
        Session.get(old_key)
    idp = aws.client("cognito-idp")
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.initiate_auth(
            ClientId=aws_stack.app_client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": refreshed["refresh_token"]},
        )


def test_a_revoked_refresh_token_signs_the_user_out_cleanly(signed_in, aws_stack):
    tokens = _tokens(signed_in)
    # Signed out everywhere (another device, or an admin): the refresh token dies.
    aws.client("cognito-idp").global_sign_out(AccessToken=tokens["access_token"])
    session = signed_in.session
    session[SESSION_TOKENS] = {**tokens, "expires_at": int(time.time()) - 5}
    session.save()

    response = signed_in.get("/accounts/password/change/", follow=True)

    assert response.redirect_chain[0][0].startswith("/accounts/login/")
    assert SESSION_TOKENS not in signed_in.session
    assert "Your session has ended" in response.content.decode()


def test_tokens_far_from_expiry_are_not_refreshed(signed_in, aws_stack):
    before = _tokens(signed_in)
    signed_in.get("/accounts/password/change/")
    assert _tokens(signed_in) == before
