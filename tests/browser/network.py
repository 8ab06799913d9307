"""Waiting for a page to go quiet: loaded, and no request in flight for a short while.

Playwright's `wait_for_load_state("networkidle")` waits until no request has been in flight for
500 ms, a fixed half second at every step; one CSP test settles sixteen times. `settle` applies
the same rule with a 100 ms window, counting the requests of the page's context from
Playwright's own request events, so a step costs what the page really needs. Nothing here looks
at the clock to decide whether the site is correct, only how long to keep listening.
"""

from __future__ import annotations

import time
import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # conftest imports this module, and skips cleanly without Playwright
    from playwright.sync_api import BrowserContext, Page, Request

QUIET_SECONDS = 0.1  # Playwright's networkidle: 0.5
TIMEOUT_SECONDS = 15.0  # the tests' default action timeout


class Traffic:
    """The requests a browser context has in flight, and when that last changed."""

    def __init__(self) -> None:
        self.pending: set[Request] = set()
        self.changed = time.monotonic()

    def started(self, request: Request) -> None:
        self.pending.add(request)
        self.changed = time.monotonic()

    def ended(self, request: Request) -> None:
        self.pending.discard(request)
        self.changed = time.monotonic()

    def quiet_for(self, seconds: float) -> bool:
        return not self.pending and time.monotonic() - self.changed >= seconds


_TRAFFIC: weakref.WeakKeyDictionary[BrowserContext, Traffic] = weakref.WeakKeyDictionary()


def track(context: BrowserContext) -> BrowserContext:
    """Count the context's requests from now on, so that `settle` can wait on its pages."""
    traffic = _TRAFFIC.setdefault(context, Traffic())
    context.on("request", traffic.started)
    context.on("requestfinished", traffic.ended)
    context.on("requestfailed", traffic.ended)
    return context


def settle(page: Page, *, quiet: float = QUIET_SECONDS, timeout: float = TIMEOUT_SECONDS) -> None:
    """Wait for the page's load event, then until no request has been in flight for `quiet` s.

    A click that navigates returns once the navigation has started, so the load waited for is
    the new page's.
    """
    traffic = _TRAFFIC.get(page.context)
    if traffic is None:
        raise RuntimeError("settle() needs a context made with network.track()")
    page.wait_for_load_state("load")
    # The quiet window starts now at the earliest: events of a request started just before
    # (at load) may not have been delivered yet, and are while settle waits.
    traffic.changed = max(traffic.changed, time.monotonic())
    deadline = time.monotonic() + timeout
    while not traffic.quiet_for(quiet):
        if time.monotonic() > deadline:
            urls = sorted(request.url for request in traffic.pending)
            raise AssertionError(f"the page never went quiet; still loading: {urls}")
        # Waiting inside Playwright lets it deliver the request events meanwhile.
        page.wait_for_timeout(quiet * 250)
