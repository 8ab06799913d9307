"""Fixtures shared by the whole suite: the embedded AWS stack, in its bootstrap state per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from core import aws
from core.localstack import LocalAws
from photosite.bootstrap import (
    BootstrapResult,
    bootstrap_aws,
    bucket_empty,
    tables_empty,
    user_pool_empty,
)
from tests.aws_state import EmulatorLedger


class BootstrapState:
    """Bring the emulator back to what `bootstrap_aws` gives, as cheaply as what a test did allows.

    Bootstrapping costs about 430 ms, so it happens once and again only after a test changed
    configuration (or the emulator is not ours to observe); after a test that only wrote data,
    the tables, the bucket and the user pool are emptied instead.
    """

    def __init__(self, local_aws: LocalAws, ledger: EmulatorLedger) -> None:
        self.local_aws = local_aws
        self.ledger = ledger
        self.result: BootstrapResult | None = None
        self.origin: str | None = None
        self.full_resets = 0

    def fresh(self, *, bucket: str, site_origin: str) -> BootstrapResult:
        """Return the bootstrap result of an emulator holding nothing else."""
        written, reconfigured_by = self.ledger.take()
        reusable = (
            reconfigured_by is None
            and self.local_aws.owned
            and self.result is not None
            and (self.result.bucket, self.origin) == (bucket, site_origin)
        )
        if reusable:
            if "dynamodb" in written:
                tables_empty()
            if "s3" in written:
                bucket_empty(bucket=bucket)
            if "cognito-idp" in written:
                user_pool_empty(user_pool_id=self.result.user_pool_id)
        else:
            self.local_aws.reset()
            self.result = bootstrap_aws(bucket=bucket, site_origin=site_origin)
            self.origin = site_origin
            self.full_resets += 1
        self.ledger.take()  # what was just done is the bootstrap state itself
        return self.result


@pytest.fixture(scope="session")
def emulator_ledger() -> EmulatorLedger:
    """What the tests did to the emulator since it was last in its bootstrap state."""
    return EmulatorLedger()


@pytest.fixture(scope="session")
def local_aws(emulator_ledger: EmulatorLedger) -> Iterator[LocalAws]:
    """Run one moto server for the session (per xdist worker) on the port test_settings chose."""
    port = urlsplit(os.environ["AWS_ENDPOINT_URL"]).port
    stack = LocalAws(port=port, observer=emulator_ledger.observe).start()
    yield stack
    stack.stop()


@pytest.fixture(scope="session")
def bootstrap_state(local_aws: LocalAws, emulator_ledger: EmulatorLedger) -> BootstrapState:
    return BootstrapState(local_aws, emulator_ledger)


def _apply(result: BootstrapResult, settings) -> BootstrapResult:
    for key, value in result.as_env().items():
        setattr(settings, key, value)
    return result


@pytest.fixture
def aws_stack(bootstrap_state: BootstrapState, settings) -> BootstrapResult:
    """Give the test the emulator as `make run` bootstraps it, holding no data, and settings
    to match: empty tables, an empty bucket and a pool without users."""
    return _apply(
        bootstrap_state.fresh(
            bucket=settings.AWS_STORAGE_BUCKET_NAME, site_origin=settings.PHOTOSITE_SITE_ORIGIN
        ),
        settings,
    )


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
