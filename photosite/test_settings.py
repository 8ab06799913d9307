"""Settings for the test suite: local mode with safe defaults, then the real settings."""

import os
import socket


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_REGION", "us-east-1")
os.environ.setdefault("DYNAMODB_TABLE_PREFIX", "test-")
os.environ.setdefault("AWS_STORAGE_BUCKET_NAME", "photosite-test-photos")
# The suite's moto server (tests/conftest.py) listens here; chosen before anything reads it.
# Each pytest-xdist worker runs its own server: a worker inherits the environment of the
# process that started it, so the port is chosen again once per worker (a subprocess that a
# test starts keeps its worker's port, and so does a port the developer set without xdist).
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if "AWS_ENDPOINT_URL" not in os.environ or os.environ.get("PHOTOSITE_TEST_PORT_OF", "") != _WORKER:
    os.environ["AWS_ENDPOINT_URL"] = f"http://127.0.0.1:{_free_port()}"
    os.environ["PHOTOSITE_TEST_PORT_OF"] = _WORKER

from photosite.settings import *  # noqa: E402,F403

# WhiteNoise without autorefresh walks STATIC_ROOT (var/staticfiles, which the Lambda package
# tests fill by running collectstatic) each time its middleware is built, and the test client
# builds the middleware chain anew for every Client: about 0.2 s of CPU per client, a fifth of
# the suite. With autorefresh it looks a file up only when a /static/ URL is requested, from
# the same directory, with the same headers.
WHITENOISE_AUTOREFRESH = True
