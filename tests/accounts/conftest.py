"""Fixtures of the accounts tests: users made through the real services on the local stack."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from accounts import cognito
from core import aws

PASSWORD = "Correct-horse-42"


@dataclass(frozen=True)
class Account:
    """A confirmed Cognito user and its credentials."""

    email: str
    password: str
    display_name: str
    sub: str


def account_create(
    pool_id: str, *, email: str, display_name: str = "Test 用户", groups: tuple[str, ...] = ()
) -> Account:
    """Sign up and confirm a user through accounts.cognito (moto accepts any code)."""
    cognito.user_sign_up(email=email, password=PASSWORD, display_name=display_name)
    cognito.user_confirm(email=email, code="123456")
    idp = aws.client("cognito-idp")
    for group in groups:
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username=email, GroupName=group)
    found = idp.admin_get_user(UserPoolId=pool_id, Username=email)
    sub = {a["Name"]: a["Value"] for a in found["UserAttributes"]}["sub"]
    return Account(email=email, password=PASSWORD, display_name=display_name, sub=sub)


@pytest.fixture
def account(aws_stack) -> Account:
    """A confirmed member."""
    return account_create(aws_stack.user_pool_id, email="alice@example.com", groups=("members",))


@pytest.fixture
def signed_in(client: Client, account: Account) -> Client:
    """A test client signed in through the sign-in page."""
    response = client.post(
        "/accounts/login/", {"email": account.email, "password": account.password}
    )
    assert response.status_code == 302, response.content
    return client
