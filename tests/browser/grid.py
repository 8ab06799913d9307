"""Reading the photos a page shows, the way `expect()` reads: retrying until they match.

A click that navigates returns before the next page has arrived, so reading the grid once right
after it may read the page being left (an empty list in a loaded CI run). These helpers wait, up to
Playwright's expect timeout, for the grid to show exactly the given photos in the given order.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

GRID_IMAGES = "ul.grid img"


def expect_grid(page: Page, names: list[str], *, selector: str = GRID_IMAGES) -> None:
    """The grid shows exactly these photos (by their alt text), in this order."""
    images = page.locator(selector)
    expect(images).to_have_count(len(names))
    for i, name in enumerate(names):
        expect(images.nth(i)).to_have_attribute("alt", name)
