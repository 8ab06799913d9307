"""The storage quota is one conditional ADD: concurrent uploads never pass it together."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from accounts.records import RateCounter
from gallery.errors import QuotaExceeded
from gallery.services import common

from .backends import only_dynamodb_local

THREADS = 10
SIZE = 1_000


@only_dynamodb_local
def test_concurrent_charges_never_pass_the_quota(ddb_backend, settings):
    # Room for exactly three uploads; ten race for it at once.
    settings.PHOTOSITE_STORAGE_QUOTA_BYTES = 3 * SIZE
    start = threading.Barrier(THREADS)

    def charge(_number: int) -> str:
        start.wait(timeout=30)
        try:
            common.storage_quota_charge(owner_sub="sub-racer", size=SIZE)
        except QuotaExceeded:
            return "refused"
        return "charged"

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        outcomes = list(pool.map(charge, range(THREADS)))

    assert sorted(outcomes) == ["charged"] * 3 + ["refused"] * (THREADS - 3)
    stored = RateCounter.get("storage-quota#sub-racer", consistent_read=True)
    assert stored.hits == 3 * SIZE


@only_dynamodb_local
def test_released_bytes_can_be_charged_again(ddb_backend, settings):
    settings.PHOTOSITE_STORAGE_QUOTA_BYTES = SIZE
    common.storage_quota_charge(owner_sub="sub-a", size=SIZE)

    common.storage_quota_release(owner_sub="sub-a", size=SIZE)
    common.storage_quota_charge(owner_sub="sub-a", size=SIZE)

    assert RateCounter.get("storage-quota#sub-a", consistent_read=True).hits == SIZE
