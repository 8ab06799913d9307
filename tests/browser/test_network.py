"""`settle` waits for the page's late requests, as Playwright's networkidle does, only sooner."""

from __future__ import annotations

import pytest

from tests.browser.network import settle, track

# After its load event, the page waits a little, then fetches; `window.fetched` says it is done.
LATE_FETCH = """<!doctype html><title>late</title>
<script>
window.fetched = false;
addEventListener("load", () => setTimeout(async () => {
  await (await fetch("/late")).text();
  window.fetched = true;
}, 60));
</script>"""


@pytest.fixture
def context(browser):
    context = track(browser.new_context())
    context.route(
        "http://quiet.test/", lambda route: route.fulfill(body=LATE_FETCH, content_type="text/html")
    )
    context.route("http://quiet.test/late", lambda route: route.fulfill(body="ok"))
    yield context
    context.close()


def test_settle_waits_for_a_request_made_after_the_load_event(context):
    page = context.new_page()
    page.goto("http://quiet.test/")
    assert page.evaluate("window.fetched") is False  # the load event alone is not enough
    settle(page)
    assert page.evaluate("window.fetched") is True


def test_settle_refuses_a_context_whose_requests_are_not_counted(browser):
    context = browser.new_context()
    try:
        with pytest.raises(RuntimeError, match=r"network\.track"):
            settle(context.new_page())
    finally:
        context.close()
