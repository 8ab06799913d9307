"""Specification of accounts.backends: verified claims become the Django user keyed by sub."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import authenticate, get_user_model

from accounts.backends import CognitoBackend, roles_for_groups, user_sync
from accounts.sessions import TOKENS as SESSION_TOKENS
from core import aws
from tests.accounts.conftest import account_create

pytestmark = pytest.mark.django_db
User = get_user_model()


def _id_token(account) -> str:
    from accounts import cognito

    return cognito.password_auth(email=account.email, password=account.password).id_token


def test_a_verified_id_token_creates_the_user_keyed_by_sub(aws_stack):
    account = account_create(
        aws_stack.user_pool_id, email="carol@example.com", display_name="卡罗尔"
    )

    user = authenticate(None, cognito_id_token=_id_token(account))

    assert user is not None
    assert user.username == account.sub
    assert user.email == "carol@example.com"
    assert user.first_name == "卡罗尔"
    assert user.get_full_name() == "卡罗尔"
    assert not user.is_staff and not user.is_superuser
    assert not user.has_usable_password()


def test_email_and_name_are_refreshed_but_the_user_stays_the_same(aws_stack):
    account = account_create(aws_stack.user_pool_id, email="dan@example.com", display_name="Dan")
    first = authenticate(None, cognito_id_token=_id_token(account))
    aws.client("cognito-idp").admin_update_user_attributes(
        UserPoolId=aws_stack.user_pool_id,
        Username=account.email,
        UserAttributes=[
            {"Name": "email", "Value": "daniel@example.org"},
            {"Name": "name", "Value": "Daniel"},
        ],
    )
    again = authenticate(
        None,
        cognito_id_token=_id_token(
            type(account)("daniel@example.org", account.password, "Daniel", account.sub)
        ),
    )

    assert again.pk == first.pk
    assert (again.email, again.first_name) == ("daniel@example.org", "Daniel")
    assert User.objects.count() == 1


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."])
def test_bad_tokens_authenticate_nobody(settings, token):
    settings.COGNITO_USER_POOL_ID = "us-east-1_NoNetworkNeeded"
    settings.COGNITO_APP_CLIENT_ID = "client"
    settings.COGNITO_JWKS_URL = "http://127.0.0.1:9/unused"
    assert authenticate(None, cognito_id_token=token) is None
    assert User.objects.count() == 0


def test_an_access_token_is_not_accepted_as_id_token(aws_stack):
    from accounts import cognito

    account = account_create(aws_stack.user_pool_id, email="erin@example.com")
    tokens = cognito.password_auth(email=account.email, password=account.password)
    assert authenticate(None, cognito_id_token=tokens.access_token) is None


def test_a_wrong_nonce_is_refused(aws_stack):
    account = account_create(aws_stack.user_pool_id, email="fay@example.com")
    assert authenticate(None, cognito_id_token=_id_token(account), nonce="expected") is None


def test_passwords_never_authenticate_through_django(aws_stack):
    account = account_create(aws_stack.user_pool_id, email="gus@example.com")
    authenticate(None, cognito_id_token=_id_token(account))
    assert authenticate(None, username=account.sub, password=account.password) is None


def test_a_deactivated_django_user_cannot_sign_in(aws_stack):
    account = account_create(aws_stack.user_pool_id, email="hal@example.com")
    user = authenticate(None, cognito_id_token=_id_token(account))
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert authenticate(None, cognito_id_token=_id_token(account)) is None


@pytest.mark.parametrize(
    ("groups", "roles"),
    [
        ([], (False, False)),
        (["members"], (False, False)),
        (["admins"], (True, False)),
        (["superadmins"], (True, True)),
        (["members", "admins", "superadmins"], (True, True)),
    ],
)
def test_groups_decide_staff_and_superuser(groups, roles):
    assert roles_for_groups(groups) == roles


def test_group_names_are_configurable(settings):
    settings.COGNITO_STAFF_GROUPS = ["moderators"]
    assert roles_for_groups(["moderators"]) == (True, False)
    assert roles_for_groups(["admins"]) == (False, False)


def test_django_groups_mirror_cognito_groups():
    user = user_sync(sub="s-1", groups=["members", "admins"], email="x@example.com")
    assert sorted(user.groups.values_list("name", flat=True)) == ["admins", "members"]
    assert user.is_staff

    user = user_sync(sub="s-1", groups=["members"])
    assert list(user.groups.values_list("name", flat=True)) == ["members"]
    assert not user.is_staff
    assert user.email == "x@example.com"  # absent from these claims, so kept


def test_an_unchanged_user_is_not_written_again(django_assert_num_queries):
    user_sync(sub="s-2", groups=["members"], email="y@example.com", display_name="Y")
    # Only reads: the row lock and the group check, no UPDATE, no group rewrite.
    with django_assert_num_queries(4):
        user_sync(sub="s-2", groups=["members"], email="y@example.com", display_name="Y")


def test_losing_the_admins_group_removes_staff_at_the_next_token_refresh(client, aws_stack):
    account = account_create(
        aws_stack.user_pool_id, email="ida@example.com", groups=("members", "admins")
    )
    client.post("/accounts/login/", {"email": account.email, "password": account.password})
    user = User.objects.get(username=account.sub)
    assert user.is_staff
    assert client.get("/admin/").status_code == 200

    aws.client("cognito-idp").admin_remove_user_from_group(
        UserPoolId=aws_stack.user_pool_id, Username=account.email, GroupName="admins"
    )
    session = client.session
    session[SESSION_TOKENS] = {**session[SESSION_TOKENS], "expires_at": int(time.time())}
    session.save()

    response = client.get("/admin/")

    assert response.status_code == 302  # the admin sends non-staff to its login page
    user.refresh_from_db()
    assert not user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == ["members"]


def test_the_backend_is_the_only_one_configured(settings):
    assert [f"{CognitoBackend.__module__}.CognitoBackend"] == settings.AUTHENTICATION_BACKENDS
