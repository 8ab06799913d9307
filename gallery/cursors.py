"""Opaque, tamper-proof pagination cursors made from DynamoDB's LastEvaluatedKey."""

from __future__ import annotations

from typing import Any

from django.core import signing

from gallery.errors import BadCursor

__all__ = ["SALT", "BadCursor", "cursor_decode", "cursor_encode"]

SALT = "gallery.cursor"


def cursor_encode(last_evaluated_key: dict[str, Any] | None, *, scope: str) -> str | None:
    """Return a signed cursor for the key, or None at the end of the results."""
    if not last_evaluated_key:
        return None
    return signing.dumps({"k": last_evaluated_key, "s": scope}, salt=SALT, compress=True)


def cursor_decode(cursor: str | None, *, scope: str) -> dict[str, Any] | None:
    """Return the LastEvaluatedKey inside a cursor; None for no cursor; BadCursor if forged."""
    if not cursor:
        return None
    try:
        data = signing.loads(cursor, salt=SALT)
    except signing.BadSignature as exc:
        raise BadCursor("This page link is invalid; start from the first page.") from exc
    if not isinstance(data, dict) or data.get("s") != scope or not isinstance(data.get("k"), dict):
        raise BadCursor("This page link belongs to another listing; start from the first page.")
    return data["k"]
