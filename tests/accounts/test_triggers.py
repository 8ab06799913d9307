"""Specification of the Cognito Lambda triggers, fed events shaped as AWS documents them.

Event shapes follow the Cognito developer guide (common envelope: version, triggerSource,
region, userPoolId, userName, callerContext, request, response) and the sample events that
AWS publishes with aws-lambda-go (events/testdata/cognito-event-userpools-*.json).
"""

from __future__ import annotations

import copy
import subprocess
import sys

import pytest

from accounts import triggers
from accounts.records import Profile
from core import aws

SUB = "a36036a8-9061-424d-a737-56d57dae7bc6"


def envelope(source: str, request: dict, response: dict, *, version: str = "1", **over) -> dict:
    event = {
        "version": version,
        "triggerSource": source,
        "region": "us-east-1",
        "userPoolId": "us-east-1_EXAMPLE",
        "userName": SUB,
        "callerContext": {
            "awsSdkVersion": "aws-sdk-unknown-unknown",
            "clientId": "1example23456789",
        },
        "request": request,
        "response": response,
    }
    event.update(over)
    return event


def pre_sign_up_event(email: str, source: str = "PreSignUp_SignUp") -> dict:
    return envelope(
        source,
        {
            "userAttributes": {"email": email, "name": "Test"},
            "validationData": None,
            "clientMetadata": {},
        },
        {"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False},
    )


def test_the_module_imports_without_django_settings():
    code = "import accounts.triggers, sys; sys.exit('django.conf' in sys.modules and 1)"
    result = subprocess.run(
        [sys.executable, "-c", code], env={"PATH": ""}, capture_output=True, check=False
    )
    assert result.returncode == 0, result.stderr.decode()


# --- pre sign-up -----------------------------------------------------------------------------


def test_pre_sign_up_without_lists_allows_everyone():
    event = pre_sign_up_event("a@anything.example")
    assert triggers.pre_sign_up(copy.deepcopy(event), environ={}) == event


@pytest.mark.parametrize(
    ("email", "allowed"),
    [
        ("a@example.com", True),
        ("a@EXAMPLE.com", True),
        ("a@staff.corp.example", True),
        ("a@corp.example", True),
        ("a@example.org", False),
        ("a@notexample.com", False),
        ("a@mailinator.com", False),
    ],
)
def test_pre_sign_up_applies_the_allow_and_deny_lists(email, allowed):
    environ = {
        "PHOTOSITE_SIGNUP_ALLOWED_DOMAINS": "example.com, .corp.example, mailinator.com",
        "PHOTOSITE_SIGNUP_DENIED_DOMAINS": "mailinator.com",
    }
    event = pre_sign_up_event(email)
    if allowed:
        assert triggers.pre_sign_up(event, environ=environ) is event
    else:
        with pytest.raises(triggers.SignUpRejected, match="not allowed"):
            triggers.pre_sign_up(event, environ=environ)


def test_pre_sign_up_deny_list_alone(monkeypatch):
    monkeypatch.setenv("PHOTOSITE_SIGNUP_DENIED_DOMAINS", "spam.example")
    with pytest.raises(triggers.SignUpRejected, match=r"spam\.example"):
        triggers.handler(pre_sign_up_event("x@spam.example"), None)
    assert triggers.handler(pre_sign_up_event("x@ok.example"), None)["triggerSource"]


def test_pre_sign_up_checks_federated_users_but_not_admin_created_ones():
    environ = {"PHOTOSITE_SIGNUP_ALLOWED_DOMAINS": "example.com"}
    with pytest.raises(triggers.SignUpRejected):
        triggers.pre_sign_up(
            pre_sign_up_event("x@gmail.example", "PreSignUp_ExternalProvider"), environ=environ
        )
    event = pre_sign_up_event("x@gmail.example", "PreSignUp_AdminCreateUser")
    assert triggers.pre_sign_up(event, environ=environ) is event


def test_pre_sign_up_without_email_is_refused():
    event = pre_sign_up_event("")
    with pytest.raises(triggers.SignUpRejected, match="email"):
        triggers.pre_sign_up(event, environ={})


# --- post confirmation -----------------------------------------------------------------------


@pytest.fixture
def pool_user(aws_stack):
    idp = aws.client("cognito-idp")
    idp.admin_create_user(
        UserPoolId=aws_stack.user_pool_id,
        Username="new@example.com",
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": "new@example.com"},
            {"Name": "name", "Value": "新人"},
        ],
    )
    found = idp.admin_get_user(UserPoolId=aws_stack.user_pool_id, Username="new@example.com")
    attributes = {a["Name"]: a["Value"] for a in found["UserAttributes"]}
    return aws_stack.user_pool_id, found["Username"], attributes


def post_confirmation_event(pool_id: str, username: str, attributes: dict, source: str) -> dict:
    return envelope(
        source,
        {
            "userAttributes": {
                **attributes,
                "cognito:user_status": "CONFIRMED",
                "email_verified": "true",
            },
            "clientMetadata": {},
        },
        {},
        userPoolId=pool_id,
        userName=username,
    )


def _groups(pool_id: str, username: str) -> list[str]:
    groups = aws.client("cognito-idp").admin_list_groups_for_user(
        UserPoolId=pool_id, Username=username
    )
    return [g["GroupName"] for g in groups["Groups"]]


def test_post_confirmation_adds_to_members_and_creates_the_profile(pool_user):
    pool_id, username, attributes = pool_user
    event = post_confirmation_event(pool_id, username, attributes, "PostConfirmation_ConfirmSignUp")

    assert triggers.handler(copy.deepcopy(event), None) == event

    assert _groups(pool_id, username) == ["members"]
    profile = Profile.get(attributes["sub"])
    assert profile.display_name == "新人"
    assert profile.created_at is not None


def test_post_confirmation_is_idempotent_also_after_a_password_reset(pool_user):
    pool_id, username, attributes = pool_user
    triggers.handler(
        post_confirmation_event(pool_id, username, attributes, "PostConfirmation_ConfirmSignUp"),
        None,
    )
    created = Profile.get(attributes["sub"]).created_at

    triggers.handler(
        post_confirmation_event(
            pool_id, username, attributes, "PostConfirmation_ConfirmForgotPassword"
        ),
        None,
    )
    triggers.handler(
        post_confirmation_event(pool_id, username, attributes, "PostConfirmation_ConfirmSignUp"),
        None,
    )

    assert _groups(pool_id, username) == ["members"]
    assert Profile.get(attributes["sub"]).created_at == created
    assert Profile.count() == 1


# --- pre token generation --------------------------------------------------------------------


GROUP_CONFIGURATION = {
    "groupsToOverride": ["admins", "members"],
    "iamRolesToOverride": [],
    "preferredRole": None,
}


def test_pre_token_generation_v1_adds_the_display_name_and_keeps_groups():
    event = envelope(
        "TokenGeneration_Authentication",
        {
            "userAttributes": {"sub": SUB, "email": "x@example.com", "name": "显示 名"},
            "groupConfiguration": copy.deepcopy(GROUP_CONFIGURATION),
            "clientMetadata": {},
        },
        {"claimsOverrideDetails": None},
    )

    result = triggers.handler(event, None)

    details = result["response"]["claimsOverrideDetails"]
    assert details["claimsToAddOrOverride"] == {"display_name": "显示 名"}
    assert "groupOverrideDetails" not in details  # absent means: keep cognito:groups
    assert "claimsToSuppress" not in details
    assert result["request"]["groupConfiguration"] == GROUP_CONFIGURATION


@pytest.mark.parametrize("source", ["TokenGeneration_RefreshTokens", "TokenGeneration_HostedAuth"])
def test_pre_token_generation_v2_adds_the_claim_to_both_tokens(source):
    event = envelope(
        source,
        {
            "userAttributes": {
                "sub": SUB,
                "email": "jo@example.com",
                "cognito:user_status": "CONFIRMED",
            },
            "groupConfiguration": {"groupsToOverride": [], "iamRolesToOverride": []},
            "scopes": ["aws.cognito.signin.user.admin"],
        },
        {},
        version="2",
    )

    result = triggers.handler(event, None)

    details = result["response"]["claimsAndScopeOverrideDetails"]
    # No name attribute: the email's local part stands in.
    assert details["idTokenGeneration"] == {"claimsToAddOrOverride": {"display_name": "jo"}}
    assert details["accessTokenGeneration"] == {"claimsToAddOrOverride": {"display_name": "jo"}}
    assert "groupOverrideDetails" not in details


# --- custom message --------------------------------------------------------------------------


def custom_message_event(source: str) -> dict:
    return envelope(
        source,
        {
            "userAttributes": {"sub": SUB, "email": "kim@example.com", "name": "<b>Kim</b>"},
            "codeParameter": "{####}",
            "linkParameter": "{##Click Here##}",
            "usernameParameter": "{username}"
            if source == "CustomMessage_AdminCreateUser"
            else None,
            "clientMetadata": {},
        },
        {"smsMessage": None, "emailMessage": None, "emailSubject": None},
    )


@pytest.mark.parametrize(
    "source",
    ["CustomMessage_SignUp", "CustomMessage_ResendCode", "CustomMessage_ForgotPassword"],
)
def test_custom_messages_contain_the_code_placeholder(source, monkeypatch):
    monkeypatch.setenv("PHOTOSITE_SITE_NAME", "Photosite")

    response = triggers.handler(custom_message_event(source), None)["response"]

    assert "{####}" in response["emailMessage"]
    assert "{####}" in response["smsMessage"]
    assert "Photosite" in response["emailSubject"]
    # The display name is user input: escaped in the HTML email.
    assert "<b>Kim</b>" not in response["emailMessage"]
    assert "&lt;b&gt;Kim&lt;/b&gt;" in response["emailMessage"]


def test_the_invitation_contains_username_and_code_placeholders():
    response = triggers.handler(custom_message_event("CustomMessage_AdminCreateUser"), None)[
        "response"
    ]
    for text in (response["emailMessage"], response["smsMessage"]):
        assert "{username}" in text
        assert "{####}" in text
    assert "invited" in response["emailSubject"]


def test_messages_use_the_placeholders_from_the_event():
    event = custom_message_event("CustomMessage_SignUp")
    event["request"]["codeParameter"] = "{####-custom}"
    assert "{####-custom}" in triggers.handler(event, None)["response"]["emailMessage"]


def test_the_forgot_password_message_differs_from_sign_up():
    signup = triggers.handler(custom_message_event("CustomMessage_SignUp"), None)["response"]
    forgot = triggers.handler(custom_message_event("CustomMessage_ForgotPassword"), None)[
        "response"
    ]
    assert signup["emailSubject"] != forgot["emailSubject"]
    assert "reset" in forgot["emailSubject"].lower()


@pytest.mark.parametrize(
    "source", ["PreAuthentication_Authentication", "UserMigration_Authentication", "Unknown", ""]
)
def test_unknown_trigger_sources_pass_through_unchanged(source):
    event = envelope(source, {"userAttributes": {"email": "x@example.com"}}, {"x": 1})
    assert triggers.handler(copy.deepcopy(event), None) == event
