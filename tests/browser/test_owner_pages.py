"""An owner's pages in a real browser, at desktop and phone widths: deleting asks first, a
photo a moderator hid keeps a badge in "My photos", and "Load more" grows the grid in place."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gallery import selectors, services
from gallery.models import Photo
from tests.accounts.conftest import account_create
from tests.browser.conftest import save_screenshot
from tests.browser.layout import assert_fits_the_width
from tests.browser.signing_in import sign_in
from tests.browser.test_journeys import photo_upload, upload_in_browser
from tests.gallery.conftest import NOT_AN_IMAGE, jpeg


@pytest.fixture
def member(aws_stack):
    return account_create(
        aws_stack.user_pool_id, email="mei@example.com", display_name="梅 Mei", groups=("members",)
    )


@pytest.fixture
def page(page_at_each_width):
    """This module's pages: a fresh one at each width, desktop then a 390 px phone."""
    return page_at_each_width


def photo_exists(photo_id: str) -> bool:
    try:
        Photo.get(photo_id, consistent_read=True)
    except Photo.DoesNotExist:
        return False
    return True


def test_deleting_a_photo_asks_first_and_cancel_keeps_it(page, member, axe):
    photo_id = photo_upload(member, "Harbour at dusk")
    sign_in(page, member)
    page.goto(f"/photos/{photo_id}/")

    # One slip of the thumb below Save must not reach the delete link.
    save = page.get_by_role("button", name="Save", exact=True).bounding_box()
    delete = page.get_by_role("link", name="Delete this photo…")
    gap = delete.bounding_box()["y"] - (save["y"] + save["height"])
    assert gap >= 40, f"the delete link sits {gap}px under Save"

    delete.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete “Harbour at dusk”?")
    assert axe(page) == []
    save_screenshot(page, f"delete-photo-{page.viewport_size['width']}")
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbour at dusk")
    assert photo_exists(photo_id)

    page.get_by_role("link", name="Delete this photo…").click()
    page.get_by_role("button", name="Move to trash").click()
    expect(page.get_by_role("status")).to_contain_text("The photo was moved to the trash")
    assert Photo.get(photo_id, consistent_read=True).is_trashed  # restorable (test_trash_pages)


def test_deleting_a_comment_asks_first(page, member, axe):
    photo_id = photo_upload(member, "Lantern")
    services.comment_create(
        photo_id=photo_id, author_sub=member.sub, author_name="梅 Mei", body="要删除的评论", ip=""
    )
    sign_in(page, member)
    page.goto(f"/photos/{photo_id}/")

    page.get_by_text("Edit or delete").click()
    page.get_by_role("link", name="Delete…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete this comment?")
    expect(page.locator("blockquote")).to_have_text("要删除的评论")
    assert axe(page) == []
    assert len(selectors.comment_list_timeline(photo_id=photo_id).items) == 1
    page.get_by_role("button", name="Delete the comment").click()

    expect(page.get_by_role("status")).to_contain_text("The comment was deleted.")
    expect(page.locator("ol.timeline .comment")).to_have_count(0)
    assert selectors.comment_list_timeline(photo_id=photo_id).items == []


def test_a_photo_hidden_by_a_moderator_keeps_a_badge_and_can_be_deleted(page, member, axe):
    photo_upload(member, "Still public")
    hidden_id = photo_upload(member, "Taken down")
    services.photo_hide(photo_id=hidden_id)
    sign_in(page, member)

    page.goto("/mine/")
    hidden = page.locator(".hidden-photos")
    expect(hidden.locator(".badge")).to_have_text("Hidden by a moderator")
    expect(page.locator("main img")).to_have_count(2)
    assert_fits_the_width(page)
    assert axe(page) == []
    save_screenshot(page, f"my-photos-hidden-{page.viewport_size['width']}")

    hidden.get_by_role("link", name="Taken down").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Taken down")
    expect(page.locator(".notice .badge")).to_have_text("Hidden by a moderator")
    expect(page.locator(".hidden-reason")).to_contain_text("Other (see the note)")
    assert axe(page) == []
    page.get_by_role("link", name="Delete this photo…").click()
    page.get_by_role("button", name="Move to trash").click()

    expect(page.get_by_role("status")).to_contain_text("The photo was moved to the trash")
    assert Photo.get(hidden_id, consistent_read=True).is_trashed
    expect(page.locator(".hidden-photos")).to_have_count(0)


def test_a_failed_upload_turns_red_and_a_finished_batch_is_not_sent_twice(page, member):
    sign_in(page, member)
    upload_in_browser(page, [("notes.jpg", NOT_AN_IMAGE), ("Lake.jpg", jpeg())])

    rows = page.locator("#upload-progress li")
    rows.nth(1).locator("a", has_text="Uploaded — view Lake").wait_for()
    failed = rows.nth(0)
    expect(failed).to_have_class("failed")
    expect(failed.locator(".status")).to_contain_text("not an image")
    red = failed.locator("progress").evaluate("bar => getComputedStyle(bar).accentColor")
    assert red == "rgb(179, 38, 30)"  # the site's error red, not the accent blue
    assert (
        rows.nth(1).locator("progress").evaluate("bar => getComputedStyle(bar).accentColor") != red
    )
    assert page.get_by_label("Photos").evaluate("input => input.files.length") == 0

    page.get_by_role("button", name="Upload", exact=True).click()
    # Nothing to send: the page asks for new files instead of starting the batch again.
    expect(page.get_by_label("Photos")).to_be_focused()

    assert [p.name for p in selectors.photo_list_owner(owner_sub=member.sub).items] == ["Lake"]
    expect(rows).to_have_count(2)  # the first batch's report stays until new files are chosen


@pytest.fixture
def small_pages(monkeypatch):
    """Two photos a page, so a few photos make several pages (the gallery's cards and the
    photo listing previous/next walks alike)."""
    for listing in (selectors.photo_card_list_feed, selectors.photo_list_feed):
        defaults = listing.__kwdefaults__
        monkeypatch.setattr(listing, "__kwdefaults__", {**defaults, "limit": 2})


def test_load_more_appends_the_next_page_in_place(page, member, small_pages):
    names = [f"照片 {n}" for n in range(5)]
    for name in names:
        photo_upload(member, name)
    newest_first = list(reversed(names))
    page.goto("/")
    cards = page.locator("ul.grid li.card img")
    expect(cards).to_have_count(2)

    page.get_by_role("link", name="Load more").click()

    expect(cards).to_have_count(4)
    assert page.evaluate("location.pathname + location.search") == "/"  # the same page, grown
    assert cards.evaluate_all("imgs => imgs.map(i => i.alt)") == newest_first[:4]
    assert page.evaluate("document.activeElement.textContent").strip().startswith(newest_first[2])
    page.get_by_role("link", name="Load more").click()
    expect(cards).to_have_count(5)
    expect(page.get_by_role("link", name="Load more")).to_have_count(0)
    # Previous/next on a photo page follow the whole grown grid.
    page.get_by_role("link", name=newest_first[4]).click()
    expect(page.get_by_role("link", name=f"← Previous photo: {newest_first[3]}")).to_be_visible()


def test_without_javascript_load_more_opens_the_next_page(
    browser, live_server, member, small_pages
):
    for n in range(3):
        photo_upload(member, f"照片 {n}")
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto("/")
        page.get_by_role("link", name="Load more").click()
        assert "cursor=" in page.url
        expect(page.locator("ul.grid li.card")).to_have_count(1)
    finally:
        context.close()
