"""How the browser tests and the browser benchmark launch Debian's Chromium."""

from __future__ import annotations

import shutil

# Headless, and nothing that would reach the network on its own.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Debian's chromium-headless-shell first: the same engine (same version, same Blink and V8)
# without the desktop browser around it, which is what Playwright itself launches for headless
# runs. Over the 98 browser tests on 3 workers it halved Chromium's CPU (80 s to 33 s) and
# took the whole run from 146 s to 90 s (docs/performance.md). The full browser, in its
# headless mode, stays a fallback.
EXECUTABLES = ("chromium-headless-shell", "chromium")


def chromium_path() -> str | None:
    """Return Debian's headless Chromium (or its full Chromium), or None when neither is here."""
    for name in EXECUTABLES:
        found = shutil.which(name) or shutil.which(name, path="/usr/bin")
        if found:
            return found
    return None
