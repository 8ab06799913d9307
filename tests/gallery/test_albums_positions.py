"""Order keys (gallery.positions): always one between two, never equal under a race, short."""

from __future__ import annotations

import random

import pytest

from gallery import positions


def test_a_key_between_two_keys_sorts_between_them():
    low, high = positions.key_between(None, None), None
    high = positions.key_between(low, None)
    middle = positions.key_between(low, high)

    assert low < middle < high


def test_keys_at_the_ends_sort_before_the_first_and_after_the_last():
    only = positions.key_between(None, None)

    assert positions.key_between(None, only) < only < positions.key_between(only, None)


def test_a_thousand_random_insertions_keep_every_key_in_order():
    rng = random.Random(7)
    keys: list[str] = []
    for _ in range(1000):
        at = rng.randint(0, len(keys))
        low = keys[at - 1] if at else None
        high = keys[at] if at < len(keys) else None
        key = positions.key_between(low, high)
        assert (low is None or low < key) and (high is None or key < high)
        keys.insert(at, key)

    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)


def test_inserting_into_the_same_gap_again_and_again_grows_keys_slowly():
    low, high = positions.key_between(None, None), None
    high = positions.key_between(low, None)
    for _ in range(300):
        high = positions.key_between(low, high)  # always just after `low`

    assert len(high) < 120


def test_two_placements_into_one_gap_get_different_keys():
    low = positions.key_between(None, None)
    high = positions.key_between(low, None)

    drawn = {positions.key_between(low, high) for _ in range(50)}

    assert len(drawn) == 50


def test_the_stored_position_breaks_a_tie_by_the_item_id_and_keeps_the_key_order():
    a, b = positions.key_between(None, None), None
    b = positions.key_between(a, None)
    below = positions.key_between(a, b)

    assert positions.position_of(a, "zzz") < positions.position_of(below, "AAA")
    assert positions.position_of(below, "x") < positions.position_of(b, "a")
    assert positions.position_of(a, "p") < positions.position_of(a, "q")
    assert positions.key_of(positions.position_of(below, "x#y")) == below


@pytest.mark.parametrize(
    ("low", "high"), [("b", "a"), ("a", "a"), ("a0", None), ("", None), ("a!", None)]
)
def test_keys_out_of_order_or_malformed_are_refused(low, high):
    with pytest.raises(ValueError):
        positions.key_between(low, high)


def test_a_gap_too_narrow_for_another_key_says_so(monkeypatch):
    monkeypatch.setattr(positions, "KEY_MAX_CHARS", 8)
    low, high = "U", "V"
    with pytest.raises(positions.PositionTooLong):
        for _ in range(100):
            high = positions.key_between(low, high)
