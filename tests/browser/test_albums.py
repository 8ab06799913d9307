"""Albums in a real browser, at desktop and phone widths: make an album from a photo's page,
add photos singly and in bulk, reorder with the keyboard, pick the cover."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from gallery import album_selectors
from gallery.models import Album
from tests.accounts.conftest import account_create
from tests.browser.conftest import save_screenshot
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


def expect_names_in_order(page, names: list[str]) -> None:
    expect(page.locator(".album-item .card-name")).to_have_text(names)  # retries, as expect does


def test_make_an_album_fill_it_reorder_it_and_pick_the_cover(page, member, axe):
    dawn, noon, dusk = (photo_upload(member, name) for name in ("Dawn", "Noon", "Dusk"))
    width = page.viewport_size["width"]
    sign_in(page, member)

    # From a photo's page: a new album that starts with the photo.
    page.goto(f"/photos/{dawn}/")
    page.get_by_role("button", name="Add to album…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add 1 photo to an album")
    assert axe(page) == []
    page.get_by_label("Album title").fill("Summer 夏天")
    page.get_by_role("button", name="Make album and add").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Summer 夏天")
    expect_names_in_order(page, ["Dawn"])

    # Another photo into the album it now offers; back on the photo's page.
    page.goto(f"/photos/{noon}/")
    page.get_by_role("button", name="Add to album…").click()
    page.get_by_role("button", name="Add to “Summer 夏天”").click()
    expect(page.get_by_role("status")).to_contain_text("Added 1 photo to “Summer 夏天”.")
    expect(page).to_have_url(re.compile(f"/photos/{noon}/$"))

    # In bulk, as "My photos" sends a selection: one already in, one new.
    page.goto(f"/albums/choose/?photo_id={dusk}&photo_id={dawn}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add 2 photos to an album")
    page.get_by_role("button", name="Add to “Summer 夏天”").click()
    expect(page.get_by_role("status")).to_contain_text("Added 1 photo")
    expect(page.get_by_role("status")).to_contain_text("1 photo was in the album already.")

    # The album: in the order added, the first photo its cover.
    page.goto("/albums/")
    expect(page.locator(".album-card")).to_contain_text("3 photos")
    assert axe(page) == []
    page.get_by_role("link", name=re.compile("Summer 夏天")).click()
    expect_names_in_order(page, ["Dawn", "Noon", "Dusk"])
    expect(page.locator(f"#item-{dawn} .badge-cover")).to_have_text("Cover")

    # Reorder with the keyboard only: focus the button, press Enter.
    page.get_by_role("button", name="Move “Dusk” earlier").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"#item-{dusk}$"))
    expect_names_in_order(page, ["Dawn", "Dusk", "Noon"])
    page.get_by_role("button", name="Move “Dawn” later").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".album-item .card-name").first).to_have_text("Dusk")
    expect_names_in_order(page, ["Dusk", "Dawn", "Noon"])

    # A new cover.
    page.get_by_role("button", name="Make cover: Noon").click()
    expect(page.get_by_role("status")).to_contain_text("The cover was changed.")
    expect(page.locator(f"#item-{noon} .badge-cover")).to_have_text("Cover")
    expect(page.locator(f"#item-{dawn} .badge-cover")).to_have_count(0)

    assert_fits_the_width(page)
    assert axe(page) == []
    save_screenshot(page, f"album-{width}")

    (album,) = list(Album.scan())
    assert album.cover_photo_id == noon and album.item_count == 3
    stored = album_selectors.album_item_page(album_id=album.album_id).items
    assert [item.photo_id for item in stored] == [dusk, dawn, noon]
