"""Fixtures shared by the whole suite: the embedded AWS stack, in its bootstrap state per test."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from core import aws
from core.localstack import LocalAws
from photosite.bootstrap import BootstrapResult
from tests import scheduling, warm_imports
from tests.aws_state import BootstrapState, EmulatorLedger


@pytest.fixture(scope="session")
def emulator_ledger() -> EmulatorLedger:
    """What the tests did to the emulator since it was last in its bootstrap state."""
    return EmulatorLedger()


@pytest.fixture(scope="session")
def local_aws(emulator_ledger: EmulatorLedger) -> Iterator[LocalAws]:
    """Run one moto server for the session (per xdist worker) on the port test_settings chose."""
    port = urlsplit(os.environ["AWS_ENDPOINT_URL"]).port
    stack = LocalAws(port=port, observer=emulator_ledger.observe).start()
    # The suite's own calls skip the socket; browsers and subprocesses still use it.
    stack.serve_in_process()
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


@pytest.fixture(autouse=True)
def _default_language_after_each_test() -> Iterator[None]:
    """A request in Chinese leaves Chinese active in the test's thread (LocaleMiddleware
    activates a language and never deactivates it); a refusal read outside a request in a
    later test must read in the default language, as it does in a fresh thread."""
    yield
    from django.utils import translation

    translation.deactivate()


# Python's cyclic garbage collector. A test process holds a large heap for the whole run (Django,
# botocore's models, moto, every collected test), and each full collection walked all of it
# again: about 9% of a worker's CPU. What is alive once collection ends is frozen out of the
# collector's reach, and young objects are examined every 10,000 allocations instead of 700.
GC_THRESHOLDS = (10_000, 10, 10)


def pytest_configure(config: pytest.Config) -> None:
    gc.set_threshold(*GC_THRESHOLDS)


@pytest.hookimpl(wrapper=True)
def pytest_collection(session: pytest.Session):
    # Inside collection, where pytest's warnings plugin records what importing a module warns.
    warm_imports.import_from_this_workers_place(session.config.args)
    return (yield)


def pytest_collection_finish(session: pytest.Session) -> None:
    gc.freeze()


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """End an xdist worker here, without tearing its interpreter down.

    By now the worker has sent the controller its last word ("workerfinished", at the end of
    sessionfinish), its fixtures have stopped their servers and subprocesses, and every plugin
    has unconfigured. What is left is pytest's final garbage collections (and its report of
    exceptions raised in finalizers that late) and the interpreter freeing a heap of several
    hundred megabytes object by object: about 2 s of CPU per worker, all of them at once, at the
    very end of the run. The controller, and plain runs, exit normally.
    """
    # Only once sessionfinish has put the exit status in workeroutput (it is sent with
    # "workerfinished"): a worker that failed before then exits normally, so that execnet can
    # still send the controller its traceback.
    if "exitstatus" in getattr(config, "workeroutput", {}):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest work first (tests/scheduling.py)."""
    items[:] = scheduling.ordered(items)


def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """With `-n` and the default distribution, spread tests as tests/scheduling.py says."""
    if config.getoption("dist") == "load":
        return scheduling.SpreadScheduling(config, log)
    return None
