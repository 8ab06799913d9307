"""Signing a browser in without its sign-in page.

The sign-in page is tested in the browser where it is the subject: signing up, confirming,
signing in and out (test_account_pages), the page in Chinese (test_chinese_interface) and the
page under the site's Content-Security-Policy (test_csp). Every other browser test needs a
signed-in browser, not the form. The form costs Chromium two page loads (the sign-in page, then
the gallery it redirects to), about a fifth of a CPU-second each time, and more than half the
browser tests signed in that way.

`sign_in` runs the same sign-in view in this process instead: Django's test client posts the
form (without the CSRF check a browser's post goes through), so Cognito's InitiateAuth, the token
checks and the session write in DynamoDB happen as they do for the page, and the browser is
given the session cookie that the view set.

No page of the site has been loaded then, so the browser holds no other cookie of the site's:
no CSRF cookie (every page with a form sets one) and no `tz` cookie (tz.js sets it on the site's
pages). A test that checks times in the browser's zone loads a page of the site first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.accounts.conftest import Account


def sign_in(page: Page, account: Account) -> None:
    """Sign the page's browser context in as `account`, without loading a page.

    The cookie is set for PHOTOSITE_SITE_ORIGIN, which the browser tests' `aws_stack` fixture
    points at the live server (every account fixture depends on it).
    """
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"email": account.email, "password": account.password}
    )
    # Signed in, the view redirects to the gallery. It renders the form again when it refuses,
    # and redirects elsewhere for a challenge (MFA, a new password) or an unconfirmed account.
    signed_in = response.status_code == 302 and response["Location"] == resolve_url(
        settings.LOGIN_REDIRECT_URL
    )
    assert signed_in, _refusal(response)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [
            {
                "name": cookie.key,
                "value": cookie.value,
                "url": settings.PHOTOSITE_SITE_ORIGIN,
                "httpOnly": bool(cookie["httponly"]),
                "sameSite": cookie["samesite"] or "Lax",
            }
        ]
    )


def _refusal(response) -> str:
    """Why the sign-in view did not sign in: the form's errors, or where it redirected."""
    if response.status_code == 302:
        return f"the sign-in view redirected to {response['Location']}, not to the gallery"
    form = response.context["form"] if response.context else None
    errors = form.non_field_errors() if form is not None else []
    return f"the sign-in view answered {response.status_code}: {list(errors)}"
