"""tests/conftest.py: how the suite's processes spend their CPU."""

from __future__ import annotations

import gc
from types import SimpleNamespace

from tests.conftest import GC_THRESHOLDS, pytest_unconfigure


def test_what_collection_loaded_is_frozen_and_young_objects_are_collected_in_batches():
    assert gc.isenabled()  # cycles made by the tests are still collected
    assert gc.get_threshold() == GC_THRESHOLDS
    # Django, botocore, moto and the collected tests: far more than a bare interpreter holds.
    assert gc.get_freeze_count() > 100_000


def test_only_an_xdist_worker_ends_without_tearing_its_interpreter_down():
    # A plain run (or the controller) has no workerinput: it returns and exits as usual, with
    # its exit status. (A worker that ended too early would show up as a crashed worker.)
    assert pytest_unconfigure(SimpleNamespace()) is None
    # Nor does a worker that failed before sessionfinish sent its results: execnet must still
    # carry its traceback to the controller.
    assert pytest_unconfigure(SimpleNamespace(workerinput={}, workeroutput={})) is None
