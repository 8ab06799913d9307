"""Fixtures shared by the whole suite: the embedded AWS stack and a fresh bootstrap per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from core import aws
from core.localstack import LocalAws
from photosite.bootstrap import BootstrapResult, bootstrap_aws


@pytest.fixture(scope="session")
def local_aws() -> Iterator[LocalAws]:
    """Run one moto server for the session on the port test_settings chose."""
    port = urlsplit(os.environ["AWS_ENDPOINT_URL"]).port
    stack = LocalAws(port=port).start()
    yield stack
    stack.stop()


@pytest.fixture
def aws_stack(local_aws: LocalAws, settings) -> BootstrapResult:
    """Give the test an emptied emulator, bootstrapped as `make run` does, and settings to match."""
    local_aws.reset()
    result = bootstrap_aws(
        bucket=settings.AWS_STORAGE_BUCKET_NAME, site_origin=settings.PHOTOSITE_SITE_ORIGIN
    )
    for key, value in result.as_env().items():
        setattr(settings, key, value)
    return result


@pytest.fixture
def aws_down(monkeypatch) -> Iterator[None]:
    """Point every AWS client at a loopback port where nothing listens."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{closed_port}")
    aws.reset()
    yield
    monkeypatch.undo()
    aws.reset()
