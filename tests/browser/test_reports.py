"""Reports in a real browser: a signed-out visitor reports a comment (no JavaScript needed), a
moderator resolves it in the admin's queue, and the comment is gone for the visitor. The report
page and the queue fit a phone without scrolling sideways, and pass axe."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from playwright.sync_api import expect

from gallery import services
from gallery.services import reports
from tests.accounts.conftest import account_create
from tests.browser.conftest import VIEWPORTS, save_screenshot
from tests.browser.layout import assert_fits_the_width
from tests.browser.signing_in import sign_in
from tests.gallery.conftest import jpeg

QUEUE = "/admin/moderation/reportentry/"


@pytest.fixture
def moderator(aws_stack):
    return account_create(
        aws_stack.user_pool_id, email="mo@example.com", display_name="Mo 管理", groups=("admins",)
    )


@pytest.fixture
def commented(aws_stack):
    """A photo of Alice's with Bob's spam comment under it."""
    photo = services.photo_create(
        owner_sub="sub-alice",
        owner_name="Alice",
        name="Harbour at dawn",
        data=jpeg(320, 240),
        uploader_ip="203.0.113.9",
    )
    comment = services.comment_create(
        photo_id=photo.photo_id,
        author_sub="sub-bob",
        author_name="Bob",
        body="Buy cheap watches at example.com",
        ip="198.51.100.4",
    )
    return photo, comment


def new_context(browser, live_server, viewport: str = "desktop", **options):
    context = browser.new_context(
        viewport=VIEWPORTS[viewport], base_url=live_server.url, **({"locale": "en-US"} | options)
    )
    context.set_default_timeout(15_000)
    return context


def test_a_visitor_reports_a_comment_and_a_moderator_hides_it(
    browser, live_server, commented, moderator
):
    photo, _comment = commented
    # The visitor: signed out, and without JavaScript, to show the form needs none.
    visitor = new_context(browser, live_server, java_script_enabled=False)
    staff = new_context(browser, live_server)
    try:
        page = visitor.new_page()
        page.goto(f"/photos/{photo.photo_id}/")
        page.get_by_role("link", name="Report the comment by Bob").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Report a comment")
        expect(page.locator("blockquote")).to_contain_text("Buy cheap watches")
        page.get_by_label("Harassment or hate").check()
        page.get_by_label("Anything a moderator should know (optional)").fill("Posted everywhere")
        save_screenshot(page, "report-desktop")
        page.get_by_role("button", name="Send report").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your report")
        expect(page.get_by_role("status")).to_contain_text("Your report was sent.")

        admin = staff.new_page()
        sign_in(admin, moderator)
        admin.goto(QUEUE)
        row = admin.locator("tr.report-row", has_text="Buy cheap watches")
        expect(row).to_contain_text("1 report")
        expect(row).to_contain_text("Harassment or hate: 1")
        expect(row).to_contain_text("by Bob")
        save_screenshot(admin, "report-queue-desktop")
        row.get_by_role("link", name="1 report").click()
        expect(admin.locator("#content-main")).to_contain_text("Posted everywhere")
        expect(admin.locator("#content-main")).to_contain_text("Visitor")
        admin.get_by_role("button", name="Hide it").click()
        expect(admin.get_by_text("Hidden; 1 report(s) resolved.")).to_be_visible()
        expect(admin.get_by_text("No open reports.")).to_be_visible()
        admin.goto("/admin/moderation/moderationevent/")
        expect(admin.locator("#result_list")).to_contain_text("hide")

        page.goto(f"/photos/{photo.photo_id}/")
        expect(page.locator(".timeline")).not_to_contain_text("Buy cheap watches")
    finally:
        visitor.close()
        staff.close()


def test_the_report_page_and_the_queue_fit_a_phone_and_pass_axe(
    browser, live_server, commented, moderator, axe
):
    photo, comment = commented
    context = new_context(browser, live_server, viewport="phone")
    try:
        page = context.new_page()
        page.goto(f"/photos/{photo.photo_id}/report/")
        assert_fits_the_width(page, "the report page")
        assert axe(page) == []
        buttons = page.get_by_role("button", name="Send report")
        box = buttons.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORTS["phone"]["width"]
        save_screenshot(page, "report-phone")

        reports.report_create(
            photo_id=photo.photo_id,
            comment_key=comment.created_key,
            reason="spam",
            reporter=AnonymousUser(),
            ip="192.0.2.1",
        )
        sign_in(page, moderator)
        page.goto(QUEUE)
        expect(page.locator("tr.report-row")).to_have_count(1)
        assert_fits_the_width(page, "the queue")
        hide = page.get_by_role("button", name="Hide it")
        box = hide.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORTS["phone"]["width"]
        save_screenshot(page, "report-queue-phone")
    finally:
        context.close()
