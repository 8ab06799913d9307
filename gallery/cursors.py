"""Opaque, tamper-proof pagination cursors made from DynamoDB's LastEvaluatedKey."""

from __future__ import annotations

from typing import Any

from django.core import signing

SALT = "gallery.cursor"


class BadCursor(ValueError):
    """Raise when a cursor was not made by this site (or is from another query)."""


def cursor_encode(last_evaluated_key: dict[str, Any] | None, *, scope: str) -> str | None:
    """Return a signed cursor for the key, or None at the end of the results."""
    if not last_evaluated_key:
        return None
    return signing.dumps({"k": last_evaluated_key, "s": scope}, salt=SALT, compress=True)


def cursor_decode(cursor: str | None, *, scope: str) -> dict[str, Any] | None:
    """Return the LastEvaluatedKey inside a cursor; None for no cursor."""
    if not cursor:
        return None
    try:
        data = signing.loads(cursor, salt=SALT)
    except signing.BadSignature as exc:
        raise BadCursor("This page link is invalid; start from the first page.") from exc
    if not isinstance(data, dict) or data.get("s") != scope or not isinstance(data.get("k"), dict):
        raise BadCursor("This page link belongs to another listing; start from the first page.")
    return data["k"]
