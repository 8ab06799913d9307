"""Opaque, tamper-proof pagination cursors made from DynamoDB's LastEvaluatedKey.

A signature proves the site made a cursor, not that its content is a key of the listing: the
signing key signs other things too, and keys leak. So a cursor is also checked against the shape
of the key it must be (names, DynamoDB types, sizes) before it reaches DynamoDB, which would
answer a malformed start key with an error, not a page.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core import signing

from gallery.errors import BadCursor, gettext_noop

__all__ = ["NOT_IN_LISTING", "SALT", "TEXT", "BadCursor", "cursor_decode", "cursor_encode"]

SALT = "gallery.cursor"
# DynamoDB's limit on a sort key value, and well above any key the site writes.
KEY_VALUE_MAX_BYTES = 1024
# The type of a plain string in a cursor the site writes itself (not a LastEvaluatedKey).
TEXT = "text"
NOT_IN_LISTING = gettext_noop(
    "This page link does not point into this listing; start from the first page."
)


def cursor_encode(last_evaluated_key: dict[str, Any] | None, *, scope: str) -> str | None:
    """Return a signed cursor for the key, or None at the end of the results."""
    if not last_evaluated_key:
        return None
    return signing.dumps({"k": last_evaluated_key, "s": scope}, salt=SALT, compress=True)


def cursor_decode(
    cursor: str | None, *, scope: str, shape: Mapping[str, str] | None = None
) -> dict[str, Any] | None:
    """Return the key inside a cursor; None for no cursor; BadCursor if forged or misshapen.

    `shape` maps each attribute the key must hold, and nothing else, to its DynamoDB type
    ("S", "N", "B") or to TEXT for a plain string.
    """
    if not cursor:
        return None
    try:
        data = signing.loads(cursor, salt=SALT)
    except signing.BadSignature as exc:
        raise BadCursor(
            gettext_noop("This page link is invalid; start from the first page.")
        ) from exc
    if not isinstance(data, dict) or data.get("s") != scope or not isinstance(data.get("k"), dict):
        raise BadCursor(
            gettext_noop("This page link belongs to another listing; start from the first page.")
        )
    key = data["k"]
    if shape is not None and not _key_fits(key, shape):
        raise BadCursor(NOT_IN_LISTING)
    return key


def _key_fits(key: dict[str, Any], shape: Mapping[str, str]) -> bool:
    if set(key) != set(shape):
        return False
    for name, kind in shape.items():
        value = key[name]
        if kind == TEXT:
            text = value
        elif isinstance(value, dict) and list(value) == [kind]:
            text = value[kind]
        else:
            return False
        if not isinstance(text, str) or not text or len(text.encode()) > KEY_VALUE_MAX_BYTES:
            return False
        if kind == "N" and not _is_finite_number(text):
            return False
    return True


def _is_finite_number(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except InvalidOperation:
        return False
