"""Time requests on a reused keep-alive connection to `make run`'s development server.

Run from the repository root:

    .venv/bin/python bench/bench_devserver.py [--requests N]

It serves the site's WSGI application (photosite.wsgi, local settings) with Django's threaded
development server twice, side by side: once with Django's own WSGIServer and once with
photosite.devserver.NoDelayWSGIServer, the server `make run` uses. A client sends GET /api/me
without a token (a 401 that touches no AWS service) N times on one connection to each, in
alternating batches, and reports the median and p90 milliseconds per request.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socketserver
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "photosite.test_settings")


def serve(server_cls):
    from django.core.servers.basehttp import WSGIRequestHandler, get_internal_wsgi_application

    threaded = type("WSGIServer", (socketserver.ThreadingMixIn, server_cls), {})
    server = threaded(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(get_internal_wsgi_application())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def timed(connection: http.client.HTTPConnection, count: int) -> list[float]:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        connection.request("GET", "/api/me")
        response = connection.getresponse()
        response.read()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status == 401, response.status
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    import django

    django.setup()
    import logging

    logging.getLogger("django.server").setLevel(logging.ERROR)
    logging.getLogger("django.request").setLevel(logging.ERROR)
    from django.core.servers.basehttp import WSGIServer

    from photosite.devserver import NoDelayWSGIServer

    servers = {
        "Django WSGIServer": serve(WSGIServer),
        "NoDelayWSGIServer": serve(NoDelayWSGIServer),
    }
    connections = {
        name: http.client.HTTPConnection(*server.server_address[:2], timeout=10)
        for name, server in servers.items()
    }
    results = {name: [] for name in servers}
    for connection in connections.values():
        timed(connection, 5)  # warm up: first requests, imports
    batches = 10
    for _ in range(batches):
        for name, connection in connections.items():
            results[name] += timed(connection, max(1, args.requests // batches))
    print(f"{'server':<20} {'median ms':>10} {'p90 ms':>8}  (GET /api/me -> 401, one connection)")
    for name, times in results.items():
        p90 = statistics.quantiles(times, n=10)[-1]
        print(f"{name:<20} {statistics.median(times):>10.2f} {p90:>8.2f}")
    for connection in connections.values():
        connection.close()
    for server in servers.values():
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
