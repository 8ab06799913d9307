"""Fixtures shared by the whole suite: the embedded AWS stack, in its bootstrap state per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from core import aws
from core.localstack import LocalAws
from photosite.bootstrap import BootstrapResult
from tests.aws_state import BootstrapState, EmulatorLedger

# With pytest-xdist (`make test` runs `-n auto --dist loadgroup`), these run on one worker each,
# back to back: their tests share state set up once per module or package (a deployed stack,
# two gunicorn instances on one bootstrap, a built Lambda package, DynamoDB Local and the
# process's DynamoDB endpoint). Everything else spreads over the workers test by test.
ONE_WORKER = (
    "tests/data/",
    "tests/deploy/test_stack_deploy.py",
    "tests/deploy/test_two_instances.py",
    "tests/deploy/test_zappa.py",
)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep the tests that share module or package state on one xdist worker."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        for prefix in ONE_WORKER:
            if path.startswith(prefix):
                item.add_marker(pytest.mark.xdist_group(prefix.rstrip("/")))


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
