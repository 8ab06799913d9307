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
os.environ.setdefault("AWS_ENDPOINT_URL", f"http://127.0.0.1:{_free_port()}")

from photosite.settings import *  # noqa: E402,F403
