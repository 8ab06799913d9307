"""A visitor browses the gallery and opens a photo, in a real browser."""

import pytest

from photosite.demo import DEMO_PHOTOS, DemoUser, demo_photos_ensure
from tests.browser.conftest import VIEWPORTS
from tests.browser.network import settle


@pytest.fixture
def demo_gallery(aws_stack):
    owner = DemoUser("demo@example.com", "unused", "Demo 用户", ("members",), sub="sub-demo")
    demo_photos_ensure(owner)


def test_the_gallery_shows_every_photo_newest_first_with_loaded_thumbnails(page, demo_gallery):
    page.goto(page.base_url + "/")
    images = page.locator("ul.grid img")
    assert images.count() == len(DEMO_PHOTOS)
    names = [images.nth(i).get_attribute("alt") for i in range(images.count())]
    assert names == [name for name, _, _ in reversed(DEMO_PHOTOS)]
    page.wait_for_function(
        "() => [...document.querySelectorAll('ul.grid img')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )


def test_clicking_a_photo_shows_its_name_upload_time_and_uploader_ip(page, demo_gallery):
    page.goto(page.base_url + "/")
    page.get_by_role("link", name="海边日落").click()
    assert page.get_by_role("heading", level=1).inner_text() == "海边日落"
    facts = page.locator("dl.facts").inner_text()
    assert "Demo 用户" in facts
    assert "127.0.0.x" in facts  # masked for an anonymous visitor
    assert page.locator("dl.facts time").get_attribute("datetime")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_main_pages_have_no_serious_accessibility_violations(page, demo_gallery, axe, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(page.base_url + "/")
    settle(page)
    assert axe(page) == []
    page.get_by_role("link", name="Sunset at the beach").click()
    settle(page)
    assert axe(page) == []
