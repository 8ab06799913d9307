"""Demo data exists only locally: two accounts and a few photos, created once."""

import pytest
from django.core.management import CommandError, call_command

from core import aws
from gallery import selectors


@pytest.fixture
def demo_on(settings):
    settings.PHOTOSITE_DEMO_USERS = True


def test_seed_demo_creates_both_accounts_in_their_groups(aws_stack, demo_on, capsys):
    call_command("seed_demo")
    idp = aws.client("cognito-idp")
    admins = idp.list_users_in_group(UserPoolId=aws_stack.user_pool_id, GroupName="admins")
    members = idp.list_users_in_group(UserPoolId=aws_stack.user_pool_id, GroupName="members")
    assert len(admins["Users"]) == 1
    assert len(members["Users"]) == 2
    assert "admin@example.com / Admin-pass-2026" in capsys.readouterr().out


def test_demo_accounts_can_sign_in_with_the_printed_password(aws_stack, demo_on):
    call_command("seed_demo")
    tokens = aws.client("cognito-idp").initiate_auth(
        ClientId=aws_stack.app_client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "demo@example.com", "PASSWORD": "Demo-pass-2026"},
    )["AuthenticationResult"]
    assert tokens["IdToken"]


def test_seed_demo_fills_an_empty_gallery_once(aws_stack, demo_on):
    call_command("seed_demo")
    first = selectors.photo_list_feed(limit=50).items
    call_command("seed_demo")
    again = selectors.photo_list_feed(limit=50).items
    assert len(first) == 6
    assert [p.photo_id for p in again] == [p.photo_id for p in first]
    assert {"海边日落", "Sunset at the beach"} <= {p.name for p in first}


def test_seed_demo_refuses_when_demo_users_are_off(aws_stack, settings):
    settings.PHOTOSITE_DEMO_USERS = False
    with pytest.raises(CommandError, match="PHOTOSITE_DEMO_USERS is off"):
        call_command("seed_demo")


def test_seed_demo_refuses_outside_local_mode(aws_stack, demo_on, settings):
    settings.PHOTOSITE_LOCAL_MODE = False
    with pytest.raises(CommandError, match="only in local mode"):
        call_command("seed_demo")
