"""tests/conftest.py: the test processes spare the garbage collector their long-lived heap."""

from __future__ import annotations

import gc

from tests.conftest import GC_THRESHOLDS


def test_what_collection_loaded_is_frozen_and_young_objects_are_collected_in_batches():
    assert gc.isenabled()  # cycles made by the tests are still collected
    assert gc.get_threshold() == GC_THRESHOLDS
    # Django, botocore, moto and the collected tests: far more than a bare interpreter holds.
    assert gc.get_freeze_count() > 100_000
