"""A visitor signs up, confirms, signs in and out, in a real browser against the local Cognito."""

import pytest


def test_sign_up_confirm_sign_in_and_out(page, aws_stack):
    page.goto(page.base_url + "/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Email:", exact=True).fill("browser@example.com")
    page.get_by_label("Display name").fill("浏览器 用户")
    page.get_by_label("Password:", exact=True).fill("Browser-pass-2026")
    page.get_by_label("Password again").fill("Browser-pass-2026")
    page.get_by_role("button", name="Sign up").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Confirm your email"
    assert page.get_by_label("Email:", exact=True).input_value() == "browser@example.com"
    page.get_by_label("Code from the email").fill("123456")  # moto accepts any code
    page.get_by_role("button", name="Confirm").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"
    page.get_by_label("Email:", exact=True).fill("browser@example.com")
    page.get_by_label("Password:", exact=True).fill("Browser-pass-2026")
    page.get_by_role("button", name="Sign in").click()

    assert "浏览器 用户" in page.locator(".nav-user").inner_text()
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_role("link", name="Sign in", exact=True).is_visible()
    assert "浏览器 用户" not in page.locator(".nav-user").inner_text()


def test_a_wrong_password_is_reported_on_the_page(page, aws_stack):
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("Email:", exact=True).fill("nobody@example.com")
    page.get_by_label("Password:", exact=True).fill("Wrong-pass-2026")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_text("Incorrect email or password.").is_visible()


@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/accounts/signup/", "/accounts/password/forgot/"]
)
def test_account_pages_have_no_serious_accessibility_violations(page, axe, path):
    page.goto(page.base_url + path)
    assert axe(page) == []
