"""Web-process CPU per gallery page against a plain page through the same middleware.

    .venv/bin/python bench/bench_page_cpu.py [--rounds 8] [--batch 120] [--clients 4]
                                             [--dynamodb local|moto] [--profile 200]

Starts the site under gunicorn (gthread, 2 workers x 4 threads, as deploy/gunicorn.conf.py) with
DynamoDB on Amazon DynamoDB Local and S3/Cognito on moto (bench/stack.py), uploads 30 photos
through the API (so the gallery's first page has 24 cards and a "Load more" cursor) and signs a
user in through the sign-in form. Then, in rounds, it sends a batch of each kind of request --

- plain page `/bench/plain/` (the base template, empty; bench/page_cpu_site.py), signed out/in
- gallery `/` (24 cards, 24 presigned thumbnail URLs), signed out/in
- `/healthz` (answered before most middleware; for reference)

-- with `--clients` keep-alive client threads, and reads the CPU time (user + system, from
/proc/<pid>/stat) of all gunicorn workers before and after each batch. CPU per request is the
difference divided by the batch size: the site's own work, not wall time, and not the
emulators' (they run in other processes). The kinds take turns within every round (the order
rotates), so each ratio compares requests served under the same machine load.

Afterwards, in this process against the same stack, `--breakdown RUNS` (default 200, 0 to skip)
times a signed-out gallery page and each step of it with the site's own functions (the cards'
Query, the presigned URLs, the cards' HTML cached and afresh, the page template; and the
whole-item Query the page made before, for comparison), and `--profile N` renders N gallery
pages with Django's test client under cProfile and prints where the time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import threading
import time
from pathlib import Path

import boto3
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import Site, load_average

KINDS = {
    "healthz": ("/healthz", False),
    "plain, signed out": ("/bench/plain/", False),
    "gallery, signed out": ("/", False),
    "plain, signed in": ("/bench/plain/", True),
    "gallery, signed in": ("/", True),
}
RATIOS = [
    ("gallery / plain, signed out", "gallery, signed out", "plain, signed out"),
    ("gallery / plain, signed in", "gallery, signed in", "plain, signed in"),
]


def check(site: Site, cookies: dict[str, str]) -> None:
    """Fail early unless every kind answers 200 and the gallery shows 24 cards."""
    for kind, (path, signed_in) in KINDS.items():
        answer = requests.get(site.base + path, cookies=cookies if signed_in else None, timeout=30)
        answer.raise_for_status()
        if path == "/" and answer.text.count('class="card"') != 24:
            raise RuntimeError(f"{kind}: expected 24 cards")
        if signed_in and "My photos" not in answer.text:
            raise RuntimeError(f"{kind}: not signed in")


def batch(site: Site, path: str, cookies: dict | None, count: int, clients: int) -> None:
    """Send `count` GETs of one path from `clients` keep-alive threads."""
    left = [count]
    lock = threading.Lock()
    failures: list[str] = []

    def loop() -> None:
        with requests.Session() as session:
            if cookies:
                session.cookies.update(cookies)
            while True:
                with lock:
                    if left[0] == 0:
                        return
                    left[0] -= 1
                answer = session.get(site.base + path, timeout=30)
                if answer.status_code != 200:
                    failures.append(f"{path}: {answer.status_code}")

    threads = [threading.Thread(target=loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{len(failures)} failed requests, first: {failures[0]}")


def measure(site: Site, cookies: dict, rounds: int, size: int, clients: int) -> dict:
    """Return CPU ms per request of each kind, one value per round."""
    per_request: dict[str, list[float]] = {kind: [] for kind in KINDS}
    kinds = list(KINDS)
    for number in range(rounds):
        shift = number % len(kinds)
        for kind in kinds[shift:] + kinds[:shift]:
            path, signed_in = KINDS[kind]
            before = site.workers_cpu()
            batch(site, path, cookies if signed_in else None, size, clients)
            per_request[kind].append((site.workers_cpu() - before) / size * 1000)
        print(f"  round {number + 1}/{rounds} done, {load_average()}", flush=True)
    return per_request


def in_process(site: Site) -> None:
    """Set Django up in this process against the running stack (once)."""
    os.environ.update(site.env)
    os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,testserver"
    import django

    from core import aws

    django.setup()
    aws.reset()


def cpu_ms(action, runs: int) -> float:
    """Return the median CPU ms of `action` over `runs` (this thread only, after a warm-up)."""
    for _ in range(5):
        action()
    times = []
    for _ in range(runs):
        began = time.thread_time()
        action()
        times.append((time.thread_time() - began) * 1000)
    return statistics.median(times)


def breakdown(site: Site, runs: int) -> list[tuple[str, float]]:
    """Return CPU ms of a signed-out gallery page and of each step of it, in this process.

    The steps are what the view does, one by one, with the site's public functions: the feed
    Query of the cards (and botocore's part of it), the 24 presigned URLs, the cards' HTML (from
    the per-process cache, and rendered afresh), the page template around them. For comparison,
    the Query the page made before (whole items into PynamoDB models).
    """
    in_process(site)
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string
    from django.test import Client, RequestFactory

    from core import aws
    from gallery import grid, selectors, storage
    from gallery.models import FEED_PARTITION, Photo

    client = Client()
    page = selectors.photo_card_list_feed()
    expiry = settings.PHOTOSITE_URL_EXPIRY

    def urls() -> list[str]:
        return [storage.object_url(card.grid_key, expires_in=expiry) for card in page.items]

    def page_with_canned_query() -> None:
        # The whole page with the Query's answer handed over: what the Query costs in the
        # page (whole page minus this) is more than on its own, where its code stays warm.
        real = selectors.photo_card_list_feed
        selectors.photo_card_list_feed = lambda **_kwargs: page
        try:
            client.get("/")
        finally:
            selectors.photo_card_list_feed = real

    def cold_cards() -> str:
        grid.cache_clear()
        return grid.cards_html(cards=page.items)

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    context = {
        "title": "Gallery",
        "cards": grid.cards_html(cards=page.items),
        "cursor": page.cursor,
    }
    names = {f"#{a}": a for a in selectors.CARD_ATTRIBUTES}
    whole_query = {
        "TableName": Photo.Meta.table_name,
        "IndexName": Photo.feed_index.Meta.index_name,
        "KeyConditionExpression": "#f = :f",
        "ExpressionAttributeNames": {"#f": "feed"},
        "ExpressionAttributeValues": {":f": {"S": FEED_PARTITION}},
        "ScanIndexForward": False,
        "Limit": 24,
    }
    card_query = {
        **whole_query,
        "ProjectionExpression": ", ".join(names),
        "ExpressionAttributeNames": {"#f": "feed", **names},
    }
    dynamodb = aws.client("dynamodb")
    # A client with botocore's stock parser, as every DynamoDB client had before.
    stock = boto3.session.Session().client(
        "dynamodb",
        region_name=dynamodb.meta.region_name,
        endpoint_url=dynamodb.meta.endpoint_url,
        config=aws.settings().botocore_config(),
    )
    assert len(dynamodb.query(**card_query)["Items"]) == 24
    assert context["cards"].count('class="card"') == 24
    return [
        ("whole gallery page, signed out (test client)", cpu_ms(lambda: client.get("/"), runs)),
        ("plain page, signed out (test client)", cpu_ms(lambda: client.get("/bench/plain/"), runs)),
        ("the gallery page, the Query's answer canned", cpu_ms(page_with_canned_query, runs)),
        (
            "feed Query of 24 cards (selectors.photo_card_list_feed)",
            cpu_ms(selectors.photo_card_list_feed, runs),
        ),
        (
            "  the same Query, the shared client alone (core.aws)",
            cpu_ms(lambda: dynamodb.query(**card_query), runs),
        ),
        (
            "  the same Query, botocore's stock parser",
            cpu_ms(lambda: stock.query(**card_query), runs),
        ),
        (
            "  before: whole items into models (selectors.photo_list_feed)",
            cpu_ms(selectors.photo_list_feed, runs),
        ),
        (
            "  before: whole items, botocore alone (stock parser)",
            cpu_ms(lambda: stock.query(**whole_query), runs),
        ),
        ("24 presigned thumbnail URLs", cpu_ms(urls, runs)),
        (
            "24 cards' HTML with their URLs, cached (grid.cards_html)",
            cpu_ms(lambda: grid.cards_html(cards=page.items), runs),
        ),
        ("24 cards' HTML, rendered afresh (cache emptied)", cpu_ms(cold_cards, runs)),
        (
            "template gallery/photo_list.html around 24 cards",
            cpu_ms(lambda: render_to_string("gallery/photo_list.html", context, request), runs),
        ),
        (
            "the same template with no cards",
            cpu_ms(
                lambda: render_to_string(
                    "gallery/photo_list.html", {**context, "cards": []}, request
                ),
                runs,
            ),
        ),
    ]


def profile(site: Site, cookies: dict, pages: int) -> str:
    """Render gallery pages in this process under cProfile; return the top of the profile."""
    in_process(site)
    from django.test import Client

    out = io.StringIO()
    for label, jar in (("signed out", {}), ("signed in", cookies)):
        client = Client()
        for name, value in jar.items():
            client.cookies[name] = value
        for _ in range(20):  # warm: templates compiled, clients made
            assert client.get("/").status_code == 200
        profiler = cProfile.Profile(time.thread_time)
        began = time.process_time()
        profiler.enable()
        for _ in range(pages):
            client.get("/")
        profiler.disable()
        cpu = (time.process_time() - began) / pages * 1000
        out.write(f"\n### gallery page, {label}: {cpu:.2f} ms CPU per page in-process ")
        out.write("(profiler on)\n")
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--batch", type=int, default=120, help="requests per kind per round")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--dynamodb", choices=("local", "moto"), default="local")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--breakdown", type=int, default=200, metavar="RUNS")
    args = parser.parse_args()

    started = time.monotonic()
    with Site(dynamodb=args.dynamodb, settings_module="page_cpu_site") as site:
        token = site.user_token("bench@example.com")
        site.seed_photos(token, 30)
        cookies = site.signed_in_cookies("bench@example.com")
        check(site, cookies)
        for path, signed_in in KINDS.values():  # warm every worker and thread
            batch(site, path, cookies if signed_in else None, 40, args.clients)
        print(f"setup {time.monotonic() - started:.0f} s; {load_average()}", flush=True)
        at_start = load_average()
        per_request = measure(site, cookies, args.rounds, args.batch, args.clients)
        at_end = load_average()
        steps = breakdown(site, args.breakdown) if args.breakdown else []
        report = profile(site, cookies, args.profile) if args.profile else ""

    print(
        f"\nDynamoDB on {'DynamoDB Local' if args.dynamodb == 'local' else 'moto'}; "
        f"{args.rounds} rounds x {args.batch} requests per kind, {args.clients} clients; "
        f"gunicorn gthread 2 workers x 4 threads; {at_start} at start, {at_end} at end\n"
    )
    print("| request | CPU ms per request (median of rounds) | min | max |")
    print("|---|---|---|---|")
    for kind, values in per_request.items():
        print(
            f"| {kind} | {statistics.median(values):.2f} | {min(values):.2f} | {max(values):.2f} |"
        )
    print("\n| ratio | of medians | median of per-round ratios |")
    print("|---|---|---|")
    for label, top, floor in RATIOS:
        rounds = [a / b for a, b in zip(per_request[top], per_request[floor], strict=True)]
        ratio = statistics.median(per_request[top]) / statistics.median(per_request[floor])
        print(f"| {label} | {ratio:.2f}x | {statistics.median(rounds):.2f}x |")
    if steps:
        print(f"\nIn this process, CPU ms (median of {args.breakdown} runs, {load_average()}):\n")
        print("| step | CPU ms |")
        print("|---|---|")
        for label, value in steps:
            print(f"| {label} | {value:.2f} |")
    if report:
        print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
