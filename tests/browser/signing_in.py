"""Signing a browser in, through the sign-in page or straight into a session.

The sign-in page is tested in the browser where it is the subject: signing up, confirming,
signing in and out (test_account_pages), the page in Chinese (test_chinese_interface) and the
page under the site's Content-Security-Policy (test_csp). Every other browser test needs a
signed-in browser, not the form. The form costs Chromium two page loads (the sign-in page, then
the gallery it redirects to), about a fifth of a CPU-second each time, and more than half the
browser tests signed in that way.

`sign_in` runs the same sign-in view in this process instead: Django's test client posts the
form, so Cognito's InitiateAuth, the token checks and the session write in DynamoDB all happen
as they do for the page, and the browser is given the session cookie that the view set. The
browser is then where the form would have left it, except that no page is loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.test import Client
from django.urls import reverse

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.accounts.conftest import Account


def sign_in(page: Page, account: Account) -> None:
    """Sign the page's browser context in as `account`, without loading a page.

    The cookie is set for the live server's origin, which the `aws_stack` fixture puts in
    PHOTOSITE_SITE_ORIGIN.
    """
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"email": account.email, "password": account.password}
    )
    # The sign-in view redirects on success; a refused sign-in renders the form again (200).
    assert response.status_code == 302, response.content.decode()[:2000]
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cookie.value,
                "url": settings.PHOTOSITE_SITE_ORIGIN,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )
