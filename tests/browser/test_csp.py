"""Every main page under the site's real Content-Security-Policy, in Chromium: no violation.

Chromium reports a violation twice: as a `securitypolicyviolation` event in the page (passed to
the test through an exposed binding, so none is lost when the page navigates) and as a console
error. The test collects both and fails on any. The first tests prove the watch sees each kind
of violation the policy exists to stop; the rest walk the site as the demo admin, with a real
direct-to-S3 upload, the lightbox, a share link and the admin pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import import_module

import pytest

from photosite.demo import demo_user_ensure, demo_users
from tests.browser import network
from tests.browser.conftest import VIEWPORTS
from tests.browser.network import track
from tests.gallery.conftest import jpeg
from tests.loopback_http import QuietHandler, serving

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    [location.pathname, event.effectiveDirective, event.blockedURI, event.sample].join(" | ")
  );
}, true);
"""


@dataclass
class Watch:
    """What Chromium reported while the test browsed (and site pages without a policy), and
    every page of the site it loaded."""

    violations: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    off_site_requests: list[str] = field(default_factory=list)


@pytest.fixture
def watch(browser, live_server) -> Iterator[tuple]:
    """A fresh browser context that records CSP violations and the policy of each page."""
    context = track(
        browser.new_context(viewport=VIEWPORTS["desktop"], locale="en-US", base_url=live_server.url)
    )
    context.set_default_timeout(15_000)
    seen = Watch()
    context.expose_binding("reportCspViolation", lambda _source, text: seen.violations.append(text))
    context.add_init_script(REPORT_VIOLATIONS)

    def on_console(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            seen.violations.append(f"console: {message.text}")

    def on_response(response) -> None:
        if response.request.resource_type == "document" and response.url.startswith(
            live_server.url
        ):
            seen.pages.append(response.url)
            if "content-security-policy" not in response.headers:
                seen.violations.append(f"no policy on {response.url}")

    def on_request(request) -> None:
        if not request.url.startswith(live_server.url):
            seen.off_site_requests.append(f"{request.method} {request.url}")

    context.on("console", on_console)
    context.on("response", on_response)
    context.on("request", on_request)
    yield context, seen
    context.close()


def settle(page) -> None:
    """Let the page's scripts run and their reports arrive before the next step."""
    network.settle(page)
    page.evaluate("() => new Promise((done) => setTimeout(done, 50))")


def visit(page, path: str, *, status: int = 200) -> None:
    response = page.goto(path)
    assert response.status == status, f"{path}: {response.status}"
    settle(page)


@pytest.fixture
def demo_admin(aws_stack):
    return demo_user_ensure(aws_stack.user_pool_id, demo_users()[0])


def sign_in(page, account) -> None:
    visit(page, "/accounts/login/")
    page.get_by_label("Email:", exact=True).fill(account.email)
    page.get_by_label("Password:", exact=True).fill(account.password)
    page.get_by_role("button", name="Sign in").click()
    assert account.display_name in page.locator(".nav-user").inner_text()
    settle(page)


# --- The watch sees what the policy stops ---------------------------------------------------------

ATTACKS = {
    "script-src-elem": """() => {
        const script = document.createElement("script");
        script.textContent = "window.injected = true";
        document.body.append(script);
    }""",
    # A string given to setTimeout is eval; DevTools' own evaluation would not be held to it.
    "script-src": "() => { setTimeout('window.injected = true', 0); }",
    "script-src-attr": """() => {
        document.body.insertAdjacentHTML("beforeend", '<img src="/static/none.png" onerror="1">');
    }""",
    "style-src-elem": """() => {
        const style = document.createElement("style");
        style.textContent = "body { color: red }";
        document.head.append(style);
    }""",
    "img-src": "() => { new Image().src = 'https://elsewhere.example/pixel.png'; }",
    "connect-src": "() => fetch('https://elsewhere.example/').catch(() => null)",
    "object-src": """() => {
        const embed = document.createElement("embed");
        embed.src = "/static/css/site.css";
        document.body.append(embed);
    }""",
}


@pytest.mark.parametrize("directive", ATTACKS)
def test_the_watch_reports_what_the_policy_blocks(watch, aws_stack, directive):
    context, seen = watch
    page = context.new_page()
    visit(page, "/")
    assert seen.violations == [], "\n".join(seen.violations)
    page.evaluate(ATTACKS[directive])
    settle(page)
    assert any(f"| {directive} |" in line for line in seen.violations), seen.violations
    assert page.evaluate("() => window.injected") is None


# --- The site itself violates nothing -------------------------------------------------------------


def test_public_pages_signed_out(watch, demo_admin):
    context, seen = watch
    page = context.new_page()
    for path in (
        "/",
        "/search/?q=sunset",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/forgot/",
        "/accounts/confirm/",
    ):
        visit(page, path)
    visit(page, "/no-such-page/", status=404)
    visit(page, "/s/not-a-token", status=404)
    assert seen.violations == [], "\n".join(seen.violations)
    assert len(seen.pages) == 8


def test_a_members_pages_with_an_upload_straight_to_s3_the_lightbox_and_a_share_link(
    watch, demo_admin, settings
):
    context, seen = watch
    page = context.new_page()
    sign_in(page, demo_admin)

    visit(page, "/upload/")  # it carries its text for upload.js in an application/json block
    page.get_by_label("Photos").set_input_files(
        [{"name": "Harbour.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}]
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    page.wait_for_url(re.compile(r"/photos/[^/]+/$"))
    settle(page)
    bucket = f"{settings.AWS_ENDPOINT_URL}/{settings.AWS_STORAGE_BUCKET_NAME}"
    assert f"POST {bucket}" in seen.off_site_requests  # connect-src let the upload through
    photo_path = page.evaluate("() => location.pathname")

    page.locator("a[data-lightbox]").click()  # lightbox.js shows the full-size image from S3
    page.wait_for_function("() => document.querySelector('dialog.lightbox img').naturalWidth > 0")
    page.keyboard.press("Escape")

    page.get_by_role("textbox", name="Comment").fill("Lovely light.")
    page.get_by_role("button", name="Post comment").click()
    settle(page)

    page.get_by_role("button", name="Make share link").click()
    settle(page)
    share_url = page.get_by_label("Share link").input_value()
    visit(page, share_url)
    page.wait_for_function("() => document.querySelector('article img').naturalWidth > 0")

    for path in ("/", "/mine/", "/search/?q=Harbour", "/links/", photo_path):
        visit(page, path)
    visit(page, "/accounts/password/change/")
    page.get_by_role("button", name="Sign out").click()
    settle(page)
    assert seen.violations == [], "\n".join(seen.violations)


def test_the_admin_pages(watch, demo_admin):
    context, seen = watch
    page = context.new_page()
    sign_in(page, demo_admin)
    visit(page, "/upload/")
    page.get_by_label("Photos").set_input_files(
        [{"name": "Lake.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}]
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    page.wait_for_url(re.compile(r"/photos/[^/]+/$"))
    photo_id = page.evaluate("() => location.pathname.split('/')[2]")
    page.get_by_role("textbox", name="Comment").fill("Calm water.")
    page.get_by_role("button", name="Post comment").click()
    settle(page)

    visit(page, "/admin/")
    visit(page, "/admin/moderation/photoentry/")
    visit(page, f"/admin/moderation/photoentry/{photo_id}/change/")
    # Its styles moved from style="" attributes to a stylesheet, and still apply.
    delete = page.get_by_role("button", name="Delete…")
    assert delete.evaluate("(b) => getComputedStyle(b).backgroundColor") == "rgb(186, 33, 33)"
    page.get_by_label("Reason for hiding:").select_option("spam")
    page.get_by_role("button", name="Hide").click()  # a moderation event for the audit trail
    settle(page)
    for path in (
        "/admin/moderation/commententry/",
        "/admin/moderation/sharelinkentry/",
        "/admin/moderation/moderationevent/",
    ):
        visit(page, path)
    page.locator("#result_list tbody a").first.click()  # the audit event of the hide, read-only
    settle(page)
    visit(page, "/admin/moderation/cognitouser/")
    page.locator("#result_list tbody a").first.click()  # a user's page, with its group buttons
    settle(page)
    visit(page, "/admin/moderation/")
    page.get_by_role("button", name="Log out").click()
    settle(page)
    assert seen.violations == [], "\n".join(seen.violations)


@pytest.fixture
def hosted_ui(settings) -> Iterator[str]:
    """A stand-in for the Hosted UI's domain on loopback: it answers every GET with a page."""

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            body = b"<!doctype html><title>Signed out</title><p>Signed out"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with serving(Handler) as origin:
        settings.COGNITO_DOMAIN = origin
        yield origin


def test_signing_out_of_a_hosted_ui_session_may_leave_for_the_hosted_ui(
    watch, demo_admin, hosted_ui, settings
):
    # The sign-out form posts to the site, which redirects to the Hosted UI's /logout: Chromium
    # holds that redirect to form-action, so the policy must name the Hosted UI's origin.
    context, seen = watch
    page = context.new_page()
    sign_in(page, demo_admin)
    (cookie,) = [c for c in context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME]
    session = import_module(settings.SESSION_ENGINE).SessionStore(cookie["value"])
    session["signed_in_with"] = "hosted_ui"  # as the Hosted UI's callback records it
    session.save()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{hosted_ui}/logout?**")
    assert seen.violations == [], "\n".join(seen.violations)
