"""Whether a page fits its window's width, measured once the page has loaded.

An `expect(...)` can find a new page's text before the page's stylesheet applies: the HTML parser
does not wait for CSS. Unstyled, a page is wider than a phone, so a width measured at that moment
fails a page that fits. The load event comes after the stylesheets and images, so the measurement
waits for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page


def assert_fits_the_width(page: Page, what: str = "the page") -> None:
    """Fail when the page, loaded and styled, scrolls sideways."""
    page.wait_for_load_state("load")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{what} scrolls sideways by {overflow}px"
