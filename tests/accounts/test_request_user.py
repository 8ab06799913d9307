"""Specification of accounts.request_user: verified claims become the request's user, keyed by
sub, with rights from Cognito groups through one mapping; nothing is stored."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import authenticate

from accounts import cognito, services, standing
from accounts.backends import CognitoBackend
from accounts.cognito import CognitoError, Tokens
from accounts.request_user import NotStored, rights_for_groups
from accounts.session_store import SessionStore
from accounts.sessions import TOKENS as SESSION_TOKENS
from core import aws
from tests.accounts.conftest import account_create
from tests.accounts.users import current_user, site_user


def _sign_in(client, account) -> None:
    response = client.post(
        "/accounts/login/", {"email": account.email, "password": account.password}
    )
    assert response.status_code == 302, response.content


def test_a_verified_id_token_makes_the_user_keyed_by_sub(client, aws_stack):
    account = account_create(
        aws_stack.user_pool_id, email="carol@example.com", display_name="卡罗尔"
    )
    _sign_in(client, account)

    user = current_user(client)

    assert user.is_authenticated and user.is_active
    assert user.username == user.pk == user.get_username() == account.sub
    assert user.email == "carol@example.com"
    assert user.first_name == "卡罗尔"
    assert user.get_full_name() == "卡罗尔"
    assert not user.is_staff and not user.is_superuser
    assert not user.has_usable_password()


def test_email_and_name_come_from_the_latest_sign_in(client, aws_stack):
    account = account_create(aws_stack.user_pool_id, email="dan@example.com", display_name="Dan")
    _sign_in(client, account)
    first = current_user(client)
    aws.client("cognito-idp").admin_update_user_attributes(
        UserPoolId=aws_stack.user_pool_id,
        Username=account.email,
        UserAttributes=[
            {"Name": "email", "Value": "daniel@example.org"},
            {"Name": "name", "Value": "Daniel"},
        ],
    )
    client.post("/accounts/logout/")
    _sign_in(client, type(account)("daniel@example.org", account.password, "Daniel", account.sub))

    again = current_user(client)
    assert again.pk == first.pk and again == first
    assert (again.email, again.first_name) == ("daniel@example.org", "Daniel")


def _request(rf):
    request = rf.post("/accounts/login/")
    request.session = SessionStore()
    return request


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."])
def test_bad_tokens_sign_nobody_in(rf, settings, token):
    settings.COGNITO_USER_POOL_ID = "us-east-1_NoNetworkNeeded"
    settings.COGNITO_APP_CLIENT_ID = "client"
    settings.COGNITO_JWKS_URL = "http://127.0.0.1:9/unused"
    request = _request(rf)
    with pytest.raises(CognitoError):
        services.signin_complete(request=request, tokens=Tokens(token, "access", "refresh", 3600))
    assert dict(request.session) == {}


def test_an_access_token_is_not_accepted_as_id_token(rf, aws_stack):
    account = account_create(aws_stack.user_pool_id, email="erin@example.com")
    tokens = cognito.password_auth(email=account.email, password=account.password)
    swapped = Tokens(tokens.access_token, tokens.access_token, tokens.refresh_token, 3600)
    with pytest.raises(CognitoError):
        services.signin_complete(request=_request(rf), tokens=swapped)


def test_a_wrong_nonce_is_refused(rf, aws_stack):
    account = account_create(aws_stack.user_pool_id, email="fay@example.com")
    tokens = cognito.password_auth(email=account.email, password=account.password)
    with pytest.raises(CognitoError):
        services.signin_complete(request=_request(rf), tokens=tokens, nonce="expected")


def test_passwords_never_authenticate_through_django(aws_stack):
    account = account_create(aws_stack.user_pool_id, email="gus@example.com")
    assert authenticate(None, username=account.sub, password=account.password) is None


def test_a_user_disabled_on_the_site_cannot_sign_in(client, aws_stack):
    account = account_create(aws_stack.user_pool_id, email="hal@example.com")
    standing.standing_disable(sub=account.sub)
    response = client.post(
        "/accounts/login/", {"email": account.email, "password": account.password}
    )
    assert response.status_code == 200
    assert "Incorrect email or password" in response.content.decode()
    assert not current_user(client).is_authenticated


@pytest.mark.parametrize(
    ("groups", "roles"),
    [
        ([], (False, False)),
        (["members"], (False, False)),
        (["admins"], (True, False)),
        (["superadmins"], (True, True)),
        (["members", "admins", "superadmins"], (True, True)),
        (["unknown-group"], (False, False)),
    ],
)
def test_groups_decide_staff_and_superuser(groups, roles):
    rights = rights_for_groups(groups)
    assert (rights.is_staff, rights.is_superuser) == roles


def test_admins_moderate_and_only_superadmins_manage_users():
    member = site_user("s-m", "M", ("members",))
    admin = site_user("s-a", "A", ("admins",))
    root = site_user("s-r", "R", ("superadmins",))
    moderation = [
        "moderation.moderate_photo",
        "moderation.moderate_comment",
        "moderation.revoke_sharelink",
        "moderation.view_photoentry",
    ]
    assert not any(member.has_perm(perm) for perm in moderation)
    assert not member.has_module_perms("moderation")
    assert admin.has_perms(moderation) and admin.has_module_perms("moderation")
    assert not admin.has_perm("moderation.manage_cognito_user")
    assert root.has_perms([*moderation, "moderation.manage_cognito_user"])


def test_the_mapping_is_one_setting(settings):
    settings.COGNITO_GROUP_RIGHTS = {
        "moderators": {"is_staff": True, "permissions": ["moderation.moderate_photo"]}
    }
    assert rights_for_groups(["moderators"]).is_staff
    assert rights_for_groups(["moderators"]).permissions == {"moderation.moderate_photo"}
    assert not rights_for_groups(["admins"]).is_staff


def test_the_user_is_never_stored():
    user = site_user("s-1", "X", ("members",))
    for write in (user.save, user.delete, lambda: user.set_password("x")):
        with pytest.raises(NotStored):
            write()


def test_losing_the_admins_group_in_cognito_removes_staff_at_the_next_token_refresh(
    client, aws_stack
):
    account = account_create(
        aws_stack.user_pool_id, email="ida@example.com", groups=("members", "admins")
    )
    _sign_in(client, account)
    assert current_user(client).is_staff
    assert client.get("/admin/").status_code == 200

    aws.client("cognito-idp").admin_remove_user_from_group(
        UserPoolId=aws_stack.user_pool_id, Username=account.email, GroupName="admins"
    )
    session = client.session
    session[SESSION_TOKENS] = {**session[SESSION_TOKENS], "expires_at": int(time.time())}
    session.save()

    response = client.get("/admin/")

    assert response.status_code == 302  # the admin sends non-staff to its login page
    user = current_user(client)
    assert user.is_authenticated and not user.is_staff
    assert user.groups == ("members",)


def test_the_backend_is_the_only_one_configured_and_authenticates_nobody(settings):
    assert [f"{CognitoBackend.__module__}.CognitoBackend"] == settings.AUTHENTICATION_BACKENDS
    assert CognitoBackend().authenticate(None, cognito_id_token="anything") is None
