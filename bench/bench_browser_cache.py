"""Image bytes a second view of the gallery transfers, as a share of the first (Chromium).

    .venv/bin/python bench/bench_browser_cache.py [--dynamodb local|moto]

Starts the site (bench/stack.py: gunicorn, DynamoDB Local, S3 and Cognito on moto), uploads 30
photos through the API, so the first gallery page shows 24 thumbnails that the site made itself.
Then headless Chromium (Debian's /usr/bin/chromium, driven by Playwright, the browser tests'
flags), with its HTTP cache on, opens the signed-out gallery, scrolls until every thumbnail has
loaded, and opens it again in the same tab (a second visit, not a reload: a reload revalidates
by design). The Chrome DevTools Protocol reports every image response: bytes received
(`encodedDataLength`, headers included), whether it came from the cache, and the status on the
wire (a revalidation answered 304 Not Modified costs a round trip and its headers).

Two cases, each in a fresh browser context (empty cache), on the same objects:

1. the derivatives as the site writes them today;
2. the same objects with `Cache-Control: private, max-age=604800, immutable`, set here by the
   benchmark (a copy of each derivative onto itself), which is the header the site should write.

A presigned URL stays the same string for a window of its lifetime (core/presign.py), so the
two views share their image URLs unless a window boundary falls between them; the script
checks that and repeats the pair once if it did.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import Site, load_average

from tests.browser.chromium import CHROMIUM_FLAGS, chromium_path  # stack put the root on sys.path

# A week: no presigned URL lives longer (SigV4), so a longer max-age would never be used.
CACHE_CONTROL = "private, max-age=604800, immutable"


@dataclass
class Load:
    """The image responses of one page view, from CDP Network events."""

    urls: dict[str, str] = field(default_factory=dict)  # requestId -> URL, images only
    cached: set[str] = field(default_factory=set)  # requestIds answered from a cache
    status: dict[str, int] = field(default_factory=dict)  # as on the wire (304, not 200)
    cache_control: dict[str, str] = field(default_factory=dict)
    bytes: dict[str, int] = field(default_factory=dict)  # requestId -> encodedDataLength

    @property
    def total_bytes(self) -> int:
        return sum(self.bytes.get(rid, 0) for rid in self.urls)

    @property
    def from_network(self) -> int:
        return sum(1 for rid in self.urls if rid not in self.cached)

    @property
    def revalidated(self) -> int:
        return sum(1 for rid in self.urls if self.status.get(rid) == 304)


def view(page, cdp, url: str) -> Load:
    """Open `url`, scroll until every image has loaded, return what the images cost."""
    load = Load()

    def sent(event: dict) -> None:
        if event.get("type") == "Image":
            load.urls[event["requestId"]] = event["request"]["url"]

    def received(event: dict) -> None:
        response = event["response"]
        if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
            load.cached.add(event["requestId"])
        headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
        if event["requestId"] in load.urls:
            load.cache_control[event["requestId"]] = headers.get("cache-control", "")

    def on_wire(event: dict) -> None:
        # responseReceived shows a revalidated response as the cached 200; this is the 304.
        load.status[event["requestId"]] = int(event["statusCode"])

    def from_memory(event: dict) -> None:
        load.cached.add(event["requestId"])

    def finished(event: dict) -> None:
        load.bytes[event["requestId"]] = int(event["encodedDataLength"])

    handlers = {
        "Network.requestWillBeSent": sent,
        "Network.responseReceived": received,
        "Network.responseReceivedExtraInfo": on_wire,
        "Network.requestServedFromCache": from_memory,
        "Network.loadingFinished": finished,
    }
    for name, handler in handlers.items():
        cdp.on(name, handler)
    try:
        page.goto(url, wait_until="load")
        # Thumbnails load lazily: scroll to the end until every one is complete.
        page.wait_for_function(
            """() => {
                window.scrollTo(0, document.body.scrollHeight);
                const images = [...document.querySelectorAll('img')];
                return images.length > 0 && images.every(i => i.complete && i.naturalWidth > 0);
            }""",
            polling=200,
            timeout=30_000,
        )
        page.wait_for_load_state("networkidle")
    finally:
        for name, handler in handlers.items():
            cdp.remove_listener(name, handler)
    return load


def visit_twice(browser, url: str) -> tuple[Load, Load]:
    """Two views of `url` in one fresh context (its own empty cache) sharing their image URLs."""
    for _attempt in range(2):
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
        try:
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            first = view(page, cdp, url)
            page.goto("about:blank")
            second = view(page, cdp, url)
        finally:
            context.close()
        if set(first.urls.values()) == set(second.urls.values()):
            return first, second
        print("  a URL window ended between the two views; repeating the pair", flush=True)
    raise RuntimeError("the two views never shared their image URLs")


def set_cache_control(site: Site, value: str) -> int:
    """Give every derivative in the bucket this Cache-Control (bench setup, not the site)."""
    from core import aws

    s3 = aws.client("s3")
    changed = 0
    for listing in s3.get_paginator("list_objects_v2").paginate(Bucket=site.bucket):
        for item in listing.get("Contents", []):
            key = item["Key"]
            if not key.startswith("photos/") or "/original" in key:
                continue
            head = s3.head_object(Bucket=site.bucket, Key=key)
            s3.copy_object(
                Bucket=site.bucket,
                Key=key,
                CopySource={"Bucket": site.bucket, "Key": key},
                ContentType=head["ContentType"],
                CacheControl=value,
                MetadataDirective="REPLACE",
            )
            changed += 1
    return changed


def row(label: str, first: Load, second: Load) -> str:
    share = second.total_bytes / first.total_bytes if first.total_bytes else float("nan")
    header = next(iter(first.cache_control.values()), "") or "(none)"
    return (
        f"| {label} | {header} | {len(first.urls)} / {first.total_bytes:,} "
        f"| {len(second.urls)} / {second.from_network} / {second.revalidated} "
        f"| {second.total_bytes:,} | {share:.1%} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dynamodb", choices=("local", "moto"), default="local")
    args = parser.parse_args()
    executable = chromium_path() or "/usr/bin/chromium"
    if not Path(executable).exists():
        print("Chromium is not installed (apt-get install chromium)")
        return 2
    from playwright.sync_api import sync_playwright

    rows = []
    with Site(dynamodb=args.dynamodb) as site:
        token = site.user_token("bench@example.com")
        site.seed_photos(token, 30)
        seeded = time.monotonic()
        loads = [load_average()]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
            try:
                first, second = visit_twice(browser, f"{site.base}/")
                age = time.monotonic() - seeded
                rows.append(row("as the site writes them", first, second))
                changed = set_cache_control(site, CACHE_CONTROL)
                first, second = visit_twice(browser, f"{site.base}/")
                rows.append(row("with the header (set by the benchmark)", first, second))
            finally:
                browser.close()
        loads.append(load_average())

    print(
        f"\nSigned-out gallery, 24 thumbnails; headless Chromium; DynamoDB on "
        f"{'DynamoDB Local' if args.dynamodb == 'local' else 'moto'}; the objects were "
        f"{age:.0f} s old at the first case; {changed} derivatives given the header for the "
        f"second; {loads[0]} at start, {loads[1]} at end\n"
    )
    print(
        "| derivatives | Cache-Control seen | 1st view: images / bytes "
        "| 2nd view: images / from network / 304 | 2nd view bytes | 2nd / 1st |"
    )
    print("|---|---|---|---|---|---|")
    for line in rows:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
