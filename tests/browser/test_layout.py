"""Measuring a page's width (tests/browser/layout.py) waits for its stylesheet."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORTS
from tests.browser.layout import assert_fits_the_width
from tests.loopback_http import QuietHandler, serving

# Unstyled, the line makes the page wider than a phone; the stylesheet wraps it.
PAGE = b'<!doctype html><link rel="stylesheet" href="/slow.css"><pre>' + b"wide " * 200 + b"</pre>"
STYLESHEET = b"pre { white-space: pre-wrap; }"


@dataclass
class SlowSite:
    """A page whose stylesheet is held back until the test releases it."""

    url: str
    release: threading.Event


@pytest.fixture
def slow_stylesheet_site() -> Iterator[SlowSite]:
    release = threading.Event()

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            if self.path == "/slow.css":
                release.wait(timeout=30)
                body, kind = STYLESHEET, "text/css"
            else:
                body, kind = PAGE, "text/html"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with serving(Handler) as origin:
        try:
            yield SlowSite(f"{origin}/", release)
        finally:
            release.set()  # before the server stops: it waits for its request threads


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    yield context.new_page()
    context.close()


def test_a_page_is_measured_once_its_stylesheet_applies(phone, slow_stylesheet_site):
    phone.goto(slow_stylesheet_site.url, wait_until="commit")
    expect(phone.locator("pre")).to_have_count(1)  # the text is there, the stylesheet is not
    threading.Timer(0.2, slow_stylesheet_site.release.set).start()

    assert_fits_the_width(phone)


def test_measured_before_the_stylesheet_the_same_page_is_too_wide(phone, slow_stylesheet_site):
    phone.goto(slow_stylesheet_site.url, wait_until="commit")
    expect(phone.locator("pre")).to_have_count(1)

    overflow = phone.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow > 0
