"""Admin pages for Cognito users: list, search, detail, disable / enable, groups, invite."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accounts import cognito
from accounts.cognito import CognitoError
from core import aws
from moderation.models import ModerationEvent
from tests.accounts.conftest import account_create

USERS = "/admin/moderation/cognitouser/"


@pytest.fixture
def member(aws_stack, db):
    return account_create(
        aws_stack.user_pool_id,
        email="carol@example.com",
        display_name="卡罗尔",
        groups=("members",),
    )


def cognito_username(aws_stack, email: str) -> str:
    from core import aws

    return aws.client("cognito-idp").admin_get_user(
        UserPoolId=aws_stack.user_pool_id, Username=email
    )["Username"]


def test_user_pages_render_for_staff_and_refuse_others(
    root_client, client, alice, member, aws_stack
):
    username = cognito_username(aws_stack, member.email)
    urls = [USERS, f"{USERS}?q=car", f"{USERS}{username}/change/", f"{USERS}add/"]
    for url in urls:
        assert root_client.get(url).status_code == 200, url
    client.force_login(alice)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_list_search_and_detail(root_client, member, aws_stack):
    account_create(aws_stack.user_pool_id, email="dave@example.com", display_name="Dave")
    listing = root_client.get(USERS).content.decode()
    assert "carol@example.com" in listing and "dave@example.com" in listing
    found = root_client.get(f"{USERS}?q=car&attribute=email").content.decode()
    assert "carol@example.com" in found and "dave@example.com" not in found
    # A quote cannot break out of the ListUsers filter.
    assert root_client.get(f'{USERS}?q=a"%20or%20"').status_code == 200

    username = cognito_username(aws_stack, member.email)
    page = root_client.get(f"{USERS}{username}/change/").content.decode()
    assert "卡罗尔" in page and member.sub in page and "CONFIRMED" in page and "members" in page


def test_moderators_without_the_permission_cannot_manage_users(
    client, admins_member, member, aws_stack
):
    username = cognito_username(aws_stack, member.email)
    client.force_login(admins_member)
    assert client.get(f"{USERS}{username}/change/").status_code == 200
    assert client.post(f"{USERS}{username}/change/", {"action": "disable"}).status_code == 403
    assert client.get(f"{USERS}add/").status_code == 403


def test_disabling_ends_the_session_and_the_api_refuses_the_token(root_client, member, aws_stack):
    tokens = cognito.password_auth(email=member.email, password=member.password)
    browser = Client()
    assert (
        browser.post(
            "/accounts/login/", {"email": member.email, "password": member.password}
        ).status_code
        == 302
    )
    assert browser.get("/mine/").status_code == 200
    api = Client()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {tokens.access_token}"}
    assert api.get("/api/me", **bearer).status_code == 200

    username = cognito_username(aws_stack, member.email)
    idp = aws.client("cognito-idp")
    called: list[str] = []

    def record(model, **_kwargs):
        called.append(model.name)

    idp.meta.events.register("before-call.cognito-idp", record)
    try:
        response = root_client.post(f"{USERS}{username}/change/", {"action": "disable"})
    finally:
        idp.meta.events.unregister("before-call.cognito-idp", record)
    assert response.status_code == 302
    # Cognito is told to disable and to revoke every refresh token (moto does not enforce
    # the revocation, so the call itself is what can be checked here).
    relevant = [name for name in called if name.startswith(("AdminDisable", "AdminUserGlobal"))]
    assert relevant == ["AdminDisableUser", "AdminUserGlobalSignOut"]

    assert not get_user_model().objects.get(username=member.sub).is_active
    # The browser's next request is anonymous: My photos sends it to sign in.
    mine = browser.get("/mine/")
    assert mine.status_code == 302 and "/login" in mine["Location"]
    # The still-unexpired access token no longer works on the API.
    refused = api.get("/api/me", **bearer)
    assert refused.status_code == 401 and refused.json()["code"] == "inactive_user"
    # Cognito refuses new sign-ins.
    with pytest.raises(CognitoError):
        cognito.password_auth(email=member.email, password=member.password)
    assert ModerationEvent.objects.get().action == "disable"

    root_client.post(f"{USERS}{username}/change/", {"action": "enable"})
    assert get_user_model().objects.get(username=member.sub).is_active
    assert cognito.password_auth(email=member.email, password=member.password)


def test_groups_add_and_remove_change_roles_at_once(root_client, member, aws_stack):
    username = cognito_username(aws_stack, member.email)
    browser = Client()
    browser.post("/accounts/login/", {"email": member.email, "password": member.password})
    assert browser.get("/admin/").status_code == 302

    root_client.post(f"{USERS}{username}/change/", {"action": "group_add", "group": "admins"})
    user = get_user_model().objects.get(username=member.sub)
    assert user.is_staff and set(user.groups.values_list("name", flat=True)) == {
        "admins",
        "members",
    }
    assert browser.get("/admin/").status_code == 200

    root_client.post(f"{USERS}{username}/change/", {"action": "group_remove", "group": "admins"})
    assert not get_user_model().objects.get(username=member.sub).is_staff
    assert browser.get("/admin/").status_code == 302
    response = root_client.post(
        f"{USERS}{username}/change/", {"action": "group_add", "group": "superadmins"}, follow=True
    )
    assert "Unknown group" in response.content.decode()
    assert [e.detail for e in ModerationEvent.objects.order_by("id")] == ["admins", "admins"]


def test_invite_creates_the_user_in_members(root_client, aws_stack):
    response = root_client.post(f"{USERS}add/", {"email": "Erin@Example.com", "name": "艾琳"})
    assert response.status_code == 302
    page = root_client.get(response["Location"]).content.decode()
    assert "erin@example.com" in page and "FORCE_CHANGE_PASSWORD" in page and "members" in page
    assert ModerationEvent.objects.get().action == "invite"
    again = root_client.post(f"{USERS}add/", {"email": "erin@example.com"})
    assert again.status_code == 200 and b"refused" in again.content
    bad = root_client.post(f"{USERS}add/", {"email": "not-an-email"})
    assert b"valid email" in bad.content
