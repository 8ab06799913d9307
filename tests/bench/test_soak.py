"""The soak's memory verdict (bench/soak.py): a least-squares growth rate per minute."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# bench/ holds scripts, not a package: load the script as a module of its own name.
SPEC = importlib.util.spec_from_file_location("bench_soak", ROOT / "bench" / "soak.py")
soak = importlib.util.module_from_spec(SPEC)
sys.modules[SPEC.name] = soak
SPEC.loader.exec_module(soak)


def test_steady_growth_gives_its_rate_per_minute():
    points = [(seconds, 200 + 0.1 * seconds) for seconds in range(0, 125, 5)]
    assert soak.slope_per_minute(points) == pytest.approx(6.0)


def test_flat_memory_gives_zero():
    assert soak.slope_per_minute([(s, 220.0) for s in range(0, 60, 5)]) == 0.0


def test_noise_around_a_level_gives_almost_nothing():
    points = [(s, 220.0 + (1 if (s // 5) % 2 else -1)) for s in range(0, 120, 5)]
    assert abs(soak.slope_per_minute(points)) < 0.2


def test_too_few_samples_give_zero_rather_than_an_error():
    assert soak.slope_per_minute([]) == 0.0
    assert soak.slope_per_minute([(5, 100.0)]) == 0.0
    assert soak.slope_per_minute([(5, 100.0), (5, 120.0)]) == 0.0


def test_percentile_picks_the_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert soak.percentile(values, 0.5) == 51.0
    assert soak.percentile(values, 0.99) == 99.0
    assert soak.percentile([7.0], 0.99) == 7.0
