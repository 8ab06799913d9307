"""The browser tests' sign-in without the sign-in page (tests/browser/signing_in.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts import cognito
from tests.accounts.conftest import PASSWORD, Account, account_create
from tests.browser.signing_in import sign_in


@pytest.fixture
def member(aws_stack) -> Account:
    return account_create(
        aws_stack.user_pool_id, email="mei@example.com", display_name="梅 Mei", groups=("members",)
    )


def test_the_browser_gets_the_session_of_a_real_sign_in(browser, live_server, member):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()

    sign_in(page, member)

    page.goto("/upload/")  # a page for members only: signed out, it redirects to the sign-in
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload photos")
    expect(page.locator(".nav-user")).to_contain_text("梅 Mei")
    context.close()


def test_a_refused_sign_in_stops_the_test_before_the_browser(member):
    wrong = Account(
        email=member.email,
        password="Wrong-pass-2026",
        display_name=member.display_name,
        sub=member.sub,
    )
    with pytest.raises(AssertionError, match="Incorrect email or password"):
        sign_in(None, wrong)  # the page is never reached


def test_a_sign_in_that_ends_elsewhere_than_the_gallery_stops_the_test(aws_stack):
    # Cognito checks the password, then says the account is not confirmed: the view sends the
    # visitor to confirm it, with a session that is not signed in.
    cognito.user_sign_up(email="new@example.com", password=PASSWORD, display_name="New")
    unconfirmed = Account(email="new@example.com", password=PASSWORD, display_name="New", sub="")

    with pytest.raises(AssertionError, match="redirected to /accounts/confirm/"):
        sign_in(None, unconfirmed)
