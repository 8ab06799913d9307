"""Order keys for hand-ordered lists (an album's photos): strings that sort in the list's order.

Moving an item gives it a new key between its new neighbours' keys, so a move rewrites one item
and never renumbers the rest. A key is a fraction written in base-62 digits (`0-9A-Za-z`, which
sort in ASCII order) without trailing zeros, so between any two keys there is always another.

Two writers that place items between the same neighbours at once must not get equal keys (the
order of equal keys would be arbitrary): each new key ends in random digits. The order key an
item stores is `<key>#<item id>` (`position_of`): `#` sorts below every digit, so the id only
breaks a tie, and the stored order is total and stable even then.
"""

from __future__ import annotations

import secrets

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
BASE = len(DIGITS)
SEPARATOR = "#"
# Random digits ending every new key: two concurrent placements collide once in 62**3.
JITTER_DIGITS = 3
# Far below DynamoDB's 1,024 bytes for a sort key, and far above what a list reaches: a key
# grows by about one digit per six moves into the same gap.
KEY_MAX_CHARS = 400

_VALUE = {digit: value for value, digit in enumerate(DIGITS)}


class PositionTooLong(ValueError):
    """The gap between two neighbours is too narrow for another key (the list needs renumbering)."""


def _midpoint(low: str, high: str | None) -> str:
    """Return digits strictly between `low` and `high` (None: 1), never a prefix of `high`.

    Never returning a prefix of `high` is what lets the caller append random digits and stay
    below `high`.
    """
    if high is not None:
        shared = 0
        while shared < len(high) and (low[shared] if shared < len(low) else "0") == high[shared]:
            shared += 1
        if shared:
            return high[:shared] + _midpoint(low[shared:], high[shared:])
    digit_low = _VALUE[low[0]] if low else 0
    digit_high = _VALUE[high[0]] if high else BASE
    if digit_high - digit_low > 1:
        return DIGITS[(digit_low + digit_high) // 2]
    # Adjacent digits: keep low's digit and go one place further, above the rest of low.
    return DIGITS[digit_low] + _midpoint(low[1:], None)


def key_between(low: str | None, high: str | None) -> str:
    """Return a new key strictly between two keys (None: the start or the end of the list).

    ValueError if `low` is not below `high`; PositionTooLong if the key would be too long.
    """
    for key in (low, high):
        if key is not None and (not key or key[-1] == "0" or any(c not in _VALUE for c in key)):
            raise ValueError(f"not an order key: {key!r}")
    if low is not None and high is not None and low >= high:
        raise ValueError(f"{low!r} is not below {high!r}")
    middle = _midpoint(low or "", high)
    jitter = "".join(secrets.choice(DIGITS) for _ in range(JITTER_DIGITS - 1))
    key = middle + jitter + secrets.choice(DIGITS[1:])
    if len(key) > KEY_MAX_CHARS:
        raise PositionTooLong(key[:20])
    return key


def position_of(key: str, item_id: str) -> str:
    """Return the stored order key of an item: its key, then its id to break a tie."""
    return f"{key}{SEPARATOR}{item_id}"


def key_of(position: str) -> str:
    """Return the key part of a stored order key."""
    return position.split(SEPARATOR, 1)[0]
