"""The load model of the key design (bench/load_model.py) computes what it claims."""

from __future__ import annotations

import importlib.util
import math
import sys
from dataclasses import replace
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# bench/ holds scripts, not a package: load the script as a module of its own name.
SPEC = importlib.util.spec_from_file_location("bench_load_model", ROOT / "bench" / "load_model.py")
load_model = importlib.util.module_from_spec(SPEC)
sys.modules[SPEC.name] = load_model  # dataclasses look their module up while it loads
SPEC.loader.exec_module(load_model)

# Small enough to run in a fraction of a second.
SMALL = load_model.Mix(photos=2_000, users=1_000, vocabulary=500)
UPLOADS_ONLY = replace(
    SMALL,
    views_per_upload=0,
    comments_per_upload=0,
    searches_per_upload=0,
    share_opens_per_upload=0,
)


def feed_writes(mix, *, shards, samples=2_000, seed=1):
    load = load_model.simulate(mix, samples=samples, seed=seed)
    return load_model.feed_design(load, mix, shards=shards)["photos/feed W"]


def hottest_of(units, where):
    return next(row for row in load_model.hottest(units) if row.where == where)


def test_one_feed_key_takes_every_feed_write():
    writes = feed_writes(SMALL, shards=1)

    assert list(writes) == ["all"]
    row = hottest_of({"photos/feed W": writes}, "photos/feed W")
    assert row.share == 1.0


def test_sixteen_shards_each_take_near_a_sixteenth_of_the_uploads():
    writes = feed_writes(UPLOADS_ONLY, shards=16, samples=8_000)

    assert sorted(writes) == sorted(f"all#{k}" for k in range(16))
    row = hottest_of({"photos/feed W": writes}, "photos/feed W")
    assert row.share == pytest.approx(1 / 16, abs=0.01)
    assert sum(writes.values()) == pytest.approx(1.0)  # one write unit per upload, all placed


def test_a_feed_key_is_stable_and_within_the_shards():
    assert load_model.feed_key("abc", shards=1) == "all"
    key = load_model.feed_key("abc", shards=16)
    assert key == load_model.feed_key("abc", shards=16)
    assert key.startswith("all#") and 0 <= int(key.split("#")[1]) < 16


@pytest.mark.parametrize(("photo_kb", "units", "rate"), [(0.75, 1, 1_000), (1.5, 2, 500)])
def test_feed_writes_saturate_at_the_limit_over_the_units_per_upload(photo_kb, units, rate):
    writes = feed_writes(replace(UPLOADS_ONLY, photo_kb=photo_kb), shards=1)

    row = hottest_of({"photos/feed W": writes}, "photos/feed W")
    assert row.per_upload == pytest.approx(units)
    assert row.saturates_at == pytest.approx(rate)
    assert row.saturates_at == pytest.approx(load_model.WRITE_LIMIT / row.per_upload)


def test_a_comment_writes_the_feed_of_its_photo_too():
    """comment_count is projected into the feed index, so a comment is a feed write."""
    with_comments = replace(UPLOADS_ONLY, comments_per_upload=2)

    assert sum(feed_writes(with_comments, shards=1).values()) == pytest.approx(1 + 2)


def test_feed_reads_saturate_at_the_read_limit_over_the_units_per_upload():
    mix = replace(UPLOADS_ONLY, views_per_upload=10, gallery_share=1.0, detail_share=0.0)
    units = load_model.feed_design(load_model.simulate(mix, samples=200), mix, shards=1)

    row = hottest_of(units, "photos/feed R")
    # 10 first pages per upload, each a Query of 24 items of 0.75 KB: 18 KB, 5 units of 4 KB,
    # halved for an eventually consistent read.
    assert row.per_upload == pytest.approx(10 * 2.5)
    assert row.saturates_at == pytest.approx(load_model.READ_LIMIT / 25)


def test_a_cached_first_page_costs_no_feed_read():
    mix = replace(UPLOADS_ONLY, views_per_upload=10, gallery_share=1.0, detail_share=0.0)
    cached = replace(mix, gallery_cache_hit=0.9)
    load = load_model.simulate(mix, samples=200)

    full = load_model.feed_design(load, mix, shards=1)["photos/feed R"]["all"]
    assert load_model.feed_design(load, cached, shards=1)["photos/feed R"]["all"] == (
        pytest.approx(full * 0.1)
    )


def test_units_follow_dynamodb_rounding():
    assert load_model.write_units(0.27) == 1
    assert load_model.write_units(1.0) == 1
    assert load_model.write_units(1.01) == 2
    assert load_model.read_units(18) == 2.5
    assert load_model.read_units(18, consistent=True) == 5
    assert load_model.read_units(0.1) == 0.5


def test_a_merged_read_asks_each_shard_for_its_part_and_a_margin():
    assert load_model.shard_page_limit(shards=1, margin=2) == 24
    assert load_model.shard_page_limit(shards=4, margin=2) == 8
    assert load_model.shard_page_limit(shards=16, margin=2) == 4
    assert load_model.refill_probability(shards=1, limit=24) == 0.0
    # Two shards, 12 each: a refill unless the newest 24 split exactly 12/12, either way round.
    exact_split = math.comb(24, 12) / 2**24
    assert load_model.refill_probability(shards=2, limit=12) == pytest.approx((1 - exact_split) / 2)


def test_the_same_seed_gives_the_same_load():
    first = load_model.simulate(SMALL, samples=500, seed=7).units
    assert load_model.simulate(SMALL, samples=500, seed=7).units == first
    assert load_model.simulate(SMALL, samples=500, seed=8).units != first


def test_the_report_compares_the_designs_side_by_side():
    text = load_model.report(SMALL, shard_counts=[1, 4], rates=[10, 100], samples=500, seed=1)

    assert "== feed on 1 partition key value" in text
    assert "== feed on 4 partition key values (merged read: 4 Queries of Limit 8)" in text
    summary = text.split("== side by side")[1].splitlines()
    assert summary[2].startswith("1 ") and "100.0%" in summary[2]
    assert summary[3].startswith("4 ")
