"""Visibility and bulk actions in a real browser, at desktop and phone widths: choosing who may
see photos at upload and changing it on the photo page; selecting photos in "My photos" with
keyboard and pointer, then changing their visibility and deleting them (asked once)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gallery.models import Photo
from tests.accounts.conftest import account_create
from tests.browser.conftest import VIEWPORTS, save_screenshot
from tests.browser.layout import assert_fits_the_width
from tests.browser.signing_in import sign_in
from tests.browser.test_journeys import photo_upload, upload_in_browser
from tests.gallery.conftest import jpeg


@pytest.fixture
def member(aws_stack):
    return account_create(
        aws_stack.user_pool_id, email="lan@example.com", display_name="兰 Lan", groups=("members",)
    )


@pytest.fixture
def page(page_at_each_width):
    """This module's pages: a fresh one at each width, desktop then a 390 px phone."""
    return page_at_each_width


def owned(member) -> list[Photo]:
    return list(Photo.owner_index.query(member.sub))


def test_choosing_visibility_at_upload_and_changing_it_on_the_photo_page(
    page, member, browser, live_server, axe
):
    sign_in(page, member)
    page.goto("/upload/")
    expect(page.get_by_label("Who can see them")).to_have_value("public")
    page.get_by_label("Who can see them").select_option("private")
    page.get_by_label("Photos").set_input_files(
        [{"name": "Quiet lane.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}]
    )
    page.get_by_role("button", name="Upload", exact=True).click()

    # The script sends the file to S3, completes it, then opens the photo's page.
    page.wait_for_url("**/photos/*/", timeout=30_000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Quiet lane")
    (photo,) = owned(member)
    assert photo.visibility == "private"
    expect(page.locator(".visibility-summary .badge")).to_have_text("Private")
    assert_fits_the_width(page)
    assert axe(page) == []
    save_screenshot(page, f"photo-visibility-{page.viewport_size['width']}")

    # A visitor gets 404 for the private photo.
    visitor = browser.new_context(base_url=live_server.url)
    assert visitor.new_page().goto(f"/photos/{photo.photo_id}/").status == 404

    page.get_by_label("Who can see this photo").select_option("unlisted")
    page.get_by_role("button", name="Save visibility").click()
    expect(page.get_by_role("status")).to_contain_text("Visibility saved: Unlisted.")
    expect(page.locator(".visibility-summary .badge")).to_have_text("Unlisted")
    assert Photo.get(photo.photo_id, consistent_read=True).visibility == "unlisted"
    assert visitor.new_page().goto(f"/photos/{photo.photo_id}/").status == 200
    visitor.close()


def test_the_default_from_settings_is_preselected_for_a_batch(page, member):
    sign_in(page, member)
    page.goto("/settings/")
    page.get_by_label("New photos are").select_option("unlisted")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Settings saved.")
    assert_fits_the_width(page)

    upload_in_browser(page, [("One.jpg", jpeg()), ("Two.jpg", jpeg(color=(10, 90, 200)))])
    expect(page.locator("#upload-progress li.done")).to_have_count(2)

    assert sorted(photo.visibility for photo in owned(member)) == ["unlisted", "unlisted"]


def test_bulk_selection_then_visibility_then_delete(page, member, axe):
    ids = [photo_upload(member, name) for name in ("Pier", "Gulls", "Ferry")]
    sign_in(page, member)
    page.goto("/mine/")
    bar = page.locator("#bulk-form")
    expect(bar.locator(".bulk-count")).to_have_text("No photo selected")
    expect(bar.get_by_role("button", name="Change visibility")).to_be_disabled()

    # The keyboard: focus a card's checkbox and press Space; the pointer (a tap on a phone).
    page.get_by_label("Select “Pier”").focus()
    page.keyboard.press("Space")
    page.get_by_label("Select “Gulls”").click()
    expect(bar.locator(".bulk-count")).to_have_text("2 selected")
    assert_fits_the_width(page)
    assert axe(page) == []
    save_screenshot(page, f"bulk-selection-{page.viewport_size['width']}")

    bar.get_by_label("Visibility").select_option("private")
    bar.get_by_role("button", name="Change visibility").click()
    expect(page.get_by_role("status")).to_contain_text("2 photos are now Private.")
    expect(page.locator(".card .badge-private")).to_have_count(2)
    assert sorted(Photo.get(pid, consistent_read=True).visibility for pid in ids) == [
        "private",
        "private",
        "public",
    ]

    bar.get_by_role("button", name="Select all on this page").click()
    expect(bar.locator(".bulk-count")).to_have_text("3 selected")
    expect(bar.get_by_role("button", name="Clear selection")).to_be_visible()
    bar.get_by_role("button", name="Delete…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete 3 photos?")
    assert_fits_the_width(page)
    assert axe(page) == []
    page.get_by_role("button", name="Delete 3 photos").click()

    expect(page.get_by_role("status")).to_contain_text("3 photos were moved to the trash.")
    assert owned(member) == []


def test_bulk_actions_work_without_javascript(browser, live_server, member):
    context = browser.new_context(
        viewport=VIEWPORTS["phone"], base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    ids = [photo_upload(member, name) for name in ("Dunes", "Reeds")]
    sign_in(page, member)
    page.goto("/mine/")

    page.get_by_role("link", name="Select all on this page").click()
    expect(page.locator("input.bulk-check:checked")).to_have_count(2)
    page.get_by_label("Visibility").select_option("unlisted")
    page.get_by_role("button", name="Change visibility").click()

    expect(page.locator(".messages")).to_contain_text("2 photos are now Unlisted.")
    assert {Photo.get(pid, consistent_read=True).visibility for pid in ids} == {"unlisted"}
    context.close()
