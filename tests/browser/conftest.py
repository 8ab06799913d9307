"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Playwright's own browser download cannot work here, so the tests launch Debian's Chromium
headless shell (tests/browser/chromium.py).
Without Chromium they skip with a reason, except in CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.chromium import CHROMIUM_FLAGS, chromium_path
from tests.browser.network import track

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "tools" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
WIDE = {"width": 1920, "height": 1080}

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
# itself are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def missing(what: str) -> None:
    """Skip locally, fail in CI: CI must always run the browser tests."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} (CI must run the browser tests; .ci/run installs it)")
    pytest.skip(what)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Launch one headless Chromium for the session."""
    executable = chromium_path()
    if executable is None:
        missing("Chromium is not installed (apt-get install chromium-headless-shell)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright package is not installed (make test installs it)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def transactional_db():
    """Nothing to set up: the site has no database (pytest-django's live_server asks for it)."""


@pytest.fixture
def page(browser, live_server):
    """Give the test a fresh browser context (no cookies) at desktop size, its requests tracked."""
    context = track(browser.new_context(viewport=VIEWPORTS["desktop"], locale="en-US"))
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture(params=list(VIEWPORTS))
def page_at_each_width(request, browser, live_server):
    """A fresh page at each width: desktop, then a 390 px phone."""
    context = browser.new_context(
        viewport=VIEWPORTS[request.param], locale="en-US", base_url=live_server.url
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def axe():
    """Return a function that runs axe-core on a page and returns serious/critical violations."""
    if not AXE_JS.exists():
        missing("axe-core is not installed (make test runs npm ci in tools/browser)")

    def run(page) -> list[dict]:
        # Through DevTools, not a <script> tag: the site's Content-Security-Policy refuses
        # inline scripts, and the pages under test keep that policy.
        page.evaluate(AXE_JS.read_text())
        result = page.evaluate("async () => await axe.run(document)")
        return [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in result["violations"]
            if v["impact"] in {"serious", "critical"}
        ]

    return run


def save_screenshot(page, name: str) -> Path | None:
    """With UPDATE_SCREENSHOTS=1, save a full-page screenshot into docs/screenshots.

    Otherwise take none: nothing compares them, and capturing and encoding some sixty full
    pages was Chromium CPU in every run of the suite.
    """
    if os.environ.get("UPDATE_SCREENSHOTS") != "1":
        return None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def aws_stack(bootstrap_state, live_server, settings):
    """Bootstrap as usual, but for the live server's origin (S3 CORS, Cognito callback URLs).

    Browser uploads go straight from the page to S3 (the emulator, on another port), so the
    bucket's CORS rules must name the origin the browser really uses. The live server lives for
    the whole session, so the browser tests share one bootstrap for that origin.
    """
    settings.PHOTOSITE_SITE_ORIGIN = live_server.url
    result = bootstrap_state.fresh(
        bucket=settings.AWS_STORAGE_BUCKET_NAME, site_origin=live_server.url
    )
    for key, value in result.as_env().items():
        setattr(settings, key, value)
    return result
