"""The tests' throw-away loopback HTTP server (tests/loopback_http.py)."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from tests.loopback_http import QuietHandler, serving


class Hello(QuietHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"hello " + self.path.encode())


def test_it_serves_the_handler_on_loopback_for_the_block_only():
    with serving(Hello) as origin:
        assert origin.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{origin}/x", timeout=5) as response:  # noqa: S310
            assert response.read() == b"hello /x"

    with pytest.raises(urllib.error.URLError):  # stopped: the port is closed
        urllib.request.urlopen(f"{origin}/x", timeout=5)  # noqa: S310
