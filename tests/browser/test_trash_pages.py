"""The trash in a real browser, at desktop and phone widths: delete → trash → restore, and
"Empty trash" with its confirmation; a hidden photo's owner reads why."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gallery import selectors
from gallery.models import Photo
from gallery.services import moderation
from tests.accounts.conftest import account_create
from tests.browser.conftest import VIEWPORTS, save_screenshot
from tests.browser.layout import assert_fits_the_width
from tests.browser.signing_in import sign_in
from tests.browser.test_journeys import photo_upload


@pytest.fixture
def member(aws_stack):
    return account_create(
        aws_stack.user_pool_id, email="mei@example.com", display_name="梅 Mei", groups=("members",)
    )


@pytest.fixture
def page(page_at_each_width):
    """This module's pages: a fresh one at each width, desktop then a 390 px phone."""
    return page_at_each_width


def width_name(page) -> str:
    return "phone" if page.viewport_size["width"] == VIEWPORTS["phone"]["width"] else "desktop"


def test_delete_goes_to_the_trash_and_restore_brings_it_back(page, member, axe):
    photo_id = photo_upload(member, "Harbour at dusk")
    sign_in(page, member)

    page.goto(f"/photos/{photo_id}/")
    page.get_by_role("link", name="Delete this photo…").click()
    expect(page.locator(".confirm")).to_contain_text("You can restore it for 30 days")
    page.get_by_role("button", name="Move to trash").click()
    expect(page.get_by_role("status")).to_contain_text("moved to the trash")
    expect(page.get_by_role("link", name="Harbour at dusk")).to_have_count(0)

    page.get_by_role("link", name="Trash", exact=True).click()
    item = page.locator(".trash-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Harbour at dusk")
    expect(item).to_contain_text("Deleted for good on")
    expect(item.locator("img")).to_have_js_property("complete", True)
    assert item.locator("img").evaluate("(img) => img.naturalWidth") > 0  # the trash/ copy
    assert_fits_the_width(page)
    assert axe(page) == []
    save_screenshot(page, f"trash-{width_name(page)}")

    item.get_by_role("button", name="Restore").click()
    expect(page.get_by_role("status")).to_contain_text("“Harbour at dusk” is back in your photos.")
    expect(page.locator(".trash-item")).to_have_count(0)
    page.get_by_role("link", name="Back to my photos").click()
    expect(page.get_by_role("link", name="Harbour at dusk")).to_be_visible()
    assert Photo.get(photo_id, consistent_read=True).is_visible
    assert [p.photo_id for p in selectors.photo_list_feed().items] == [photo_id]


def test_empty_trash_asks_once_and_cancel_keeps_everything(page, member, axe):
    ids = [photo_upload(member, name) for name in ("Lantern", "Pier")]
    sign_in(page, member)
    for photo_id in ids:
        page.goto(f"/photos/{photo_id}/delete/")
        page.get_by_role("button", name="Move to trash").click()
        expect(page.get_by_role("status")).to_contain_text("moved to the trash")

    page.goto("/trash/")
    page.get_by_role("link", name="Empty trash…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Empty the trash?")
    expect(page.locator(".confirm-list li")).to_have_count(2)
    assert_fits_the_width(page)
    assert axe(page) == []
    save_screenshot(page, f"trash-empty-{width_name(page)}")
    page.get_by_role("link", name="Cancel").click()
    expect(page.locator(".trash-item")).to_have_count(2)

    page.get_by_role("link", name="Empty trash…").click()
    page.get_by_role("button", name="Empty trash").click()

    expect(page.get_by_role("status")).to_contain_text("2 photos were deleted for good.")
    expect(page.locator(".empty")).to_have_text("Your trash is empty.")
    assert list(Photo.scan()) == []


def test_delete_forever_asks_once(page, member, axe):
    photo_id = photo_upload(member, "Lantern")
    sign_in(page, member)
    page.goto(f"/photos/{photo_id}/delete/")
    page.get_by_role("button", name="Move to trash").click()

    page.goto("/trash/")
    page.get_by_role("link", name="Delete forever…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete “Lantern” for good?")
    assert axe(page) == []
    page.get_by_role("button", name="Delete forever").click()

    expect(page.get_by_role("status")).to_contain_text("The photo was deleted for good.")
    assert list(Photo.scan()) == []


def test_the_owner_of_a_hidden_photo_reads_why_and_it_comes_back_hidden(page, member, axe):
    photo_id = photo_upload(member, "Taken down")
    moderation.photo_hide(photo_id=photo_id, reason="copyright", note="Someone's stock photo")
    sign_in(page, member)

    page.goto(f"/photos/{photo_id}/")
    reason = page.locator(".hidden-reason")
    expect(reason).to_contain_text("Someone else's copyright")
    expect(reason).to_contain_text("Someone's stock photo")
    assert_fits_the_width(page)
    assert axe(page) == []

    page.get_by_role("link", name="Delete this photo…").click()
    page.get_by_role("button", name="Move to trash").click()
    page.goto("/trash/")
    expect(page.locator(".trash-item .badge")).to_have_text("Hidden by a moderator")
    page.get_by_role("button", name="Restore", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("is back in your photos")
    page.goto("/mine/")
    expect(page.locator(".hidden-photos")).to_contain_text("Taken down")
    assert Photo.get(photo_id, consistent_read=True).status == "hidden"


@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_the_trash_in_chinese(browser, live_server, member, axe, width):
    context = browser.new_context(
        viewport=VIEWPORTS[width], locale="zh-CN", base_url=live_server.url
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    photo_id = photo_upload(member, "海边日落")
    sign_in(page, member)
    page.goto(f"/photos/{photo_id}/delete/")
    page.get_by_role("button", name="移到回收站").click()
    expect(page.get_by_role("status")).to_contain_text("照片已移到回收站")

    page.get_by_role("link", name="回收站", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("回收站")
    expect(page.locator(".trash-item")).to_contain_text("海边日落")
    expect(page.get_by_role("button", name="恢复", exact=True)).to_be_visible()
    assert_fits_the_width(page)
    assert axe(page) == []
    save_screenshot(page, f"trash-zh-{width}")
    context.close()
