"""Admin pages for Cognito users: list, search, detail, disable / enable, groups, invite."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts import cognito, sessions, standing
from accounts.cognito import CognitoError
from accounts.records import Profile
from accounts.verifier import get_verifier
from core import aws
from tests.accounts.conftest import account_create
from tests.accounts.users import sign_in
from tests.gallery.conftest import count_dynamodb_calls
from tests.moderation.conftest import audit_events, only

USERS = "/admin/moderation/cognitouser/"
PROFILES = Profile.Meta.table_name


@pytest.fixture
def member(aws_stack):
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
    sign_in(client, alice)
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
    sign_in(client, admins_member)
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

    # The change is recorded where every request looks (no SQL row anywhere).
    state = standing.standing_get(sub=member.sub)
    assert state.disabled and state.signed_out_at is not None
    # The browser's next request is anonymous: My photos sends it to sign in.
    mine = browser.get("/mine/")
    assert mine.status_code == 302 and "/login" in mine["Location"]
    assert not _signed_in(browser)
    # The still-unexpired access token no longer works on the API.
    refused = api.get("/api/me", **bearer)
    assert refused.status_code == 401 and refused.json()["code"] == "inactive_user"
    # Cognito refuses new sign-ins.
    with pytest.raises(CognitoError):
        cognito.password_auth(email=member.email, password=member.password)
    assert only(audit_events()).action == "disable"

    root_client.post(f"{USERS}{username}/change/", {"action": "enable"})
    assert not standing.standing_get(sub=member.sub).disabled
    assert cognito.password_auth(email=member.email, password=member.password)
    # A token from before the disabling stays refused: disabling signed the user out.
    stale = api.get("/api/me", **bearer)
    assert stale.status_code == 401 and stale.json()["code"] == "token_revoked"


def _signed_in(client: Client) -> bool:
    return sessions.signed_in(session=client.session)


def _staff_in_admin(client: Client) -> bool:
    return client.get("/admin/").status_code == 200


def test_groups_add_and_remove_change_roles_on_the_next_request(root_client, member, aws_stack):
    username = cognito_username(aws_stack, member.email)
    browser = Client()
    browser.post("/accounts/login/", {"email": member.email, "password": member.password})
    tokens = cognito.password_auth(email=member.email, password=member.password)
    api = Client()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {tokens.access_token}"}
    assert not _staff_in_admin(browser)
    assert api.get("/api/me", **bearer).json()["groups"] == ["members"]

    root_client.post(f"{USERS}{username}/change/", {"action": "group_add", "group": "admins"})
    state = standing.standing_get(sub=member.sub)
    assert state.groups == ("admins", "members") and state.groups_changed_at is not None
    # The session and the token were issued before the change; both carry it now.
    assert _staff_in_admin(browser)
    assert api.get("/api/me", **bearer).json()["groups"] == ["admins", "members"]

    root_client.post(f"{USERS}{username}/change/", {"action": "group_remove", "group": "admins"})
    assert standing.standing_get(sub=member.sub).groups == ("members",)
    # A demoted admin's earlier session and token get no staff rights on the next request.
    assert not _staff_in_admin(browser)
    assert _signed_in(browser)  # still signed in, as a member
    assert api.get("/api/me", **bearer).json()["groups"] == ["members"]
    response = root_client.post(
        f"{USERS}{username}/change/", {"action": "group_add", "group": "superadmins"}, follow=True
    )
    assert "Unknown group" in response.content.decode()
    assert [e.detail for e in audit_events()] == ["admins", "admins"]


def test_a_demoted_admins_earlier_token_gets_no_staff_rights(root_client, member, aws_stack):
    # Promoted in Cognito directly, the member's token says `admins`: staff on the site.
    idp = aws.client("cognito-idp")
    idp.admin_add_user_to_group(
        UserPoolId=aws_stack.user_pool_id, Username=member.email, GroupName="admins"
    )
    tokens = cognito.password_auth(email=member.email, password=member.password)
    browser = Client()
    browser.post("/accounts/login/", {"email": member.email, "password": member.password})
    api = Client()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {tokens.access_token}"}
    assert _staff_in_admin(browser)
    assert "admins" in api.get("/api/me", **bearer).json()["groups"]

    username = cognito_username(aws_stack, member.email)
    root_client.post(f"{USERS}{username}/change/", {"action": "group_remove", "group": "admins"})

    # The token still says `admins` (it is signed; it cannot change), the site ignores that.
    claims = get_verifier().verify_access_token(tokens.access_token)
    assert "admins" in claims["cognito:groups"]
    assert api.get("/api/me", **bearer).json()["groups"] == ["members"]
    assert not _staff_in_admin(browser)
    assert browser.get("/admin/moderation/photoentry/").status_code == 302


def test_each_authenticated_request_reads_the_standing_once(root_client, member, aws_stack):
    tokens = cognito.password_auth(email=member.email, password=member.password)
    browser = Client()
    browser.post("/accounts/login/", {"email": member.email, "password": member.password})
    api = Client()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {tokens.access_token}"}
    api.get("/api/me", **bearer)  # the first call gives the user a profile

    with count_dynamodb_calls() as calls:
        assert api.get("/api/me", **bearer).status_code == 200
    assert [t for t in calls.tables if t.endswith("profiles")] == [PROFILES]
    assert calls.by_name["GetItem"] == 1

    with count_dynamodb_calls() as calls:
        assert browser.get("/accounts/login/").status_code == 200
    # The session's item, then the profile: nothing is cached between requests.
    assert [t for t in calls.tables if t.endswith("profiles")] == [PROFILES]

    anonymous = Client()
    with count_dynamodb_calls() as calls:
        anonymous.get("/accounts/login/")
    assert PROFILES not in calls.tables


def test_invite_creates_the_user_in_members(root_client, aws_stack):
    response = root_client.post(f"{USERS}add/", {"email": "Erin@Example.com", "name": "艾琳"})
    assert response.status_code == 302
    page = root_client.get(response["Location"]).content.decode()
    assert "erin@example.com" in page and "FORCE_CHANGE_PASSWORD" in page and "members" in page
    assert only(audit_events()).action == "invite"
    again = root_client.post(f"{USERS}add/", {"email": "erin@example.com"})
    assert again.status_code == 200 and b"refused" in again.content
    bad = root_client.post(f"{USERS}add/", {"email": "not-an-email"})
    assert b"not an email address" in bad.content
