"""Paging of key-ordered DynamoDB reads: the page, its cursor's scope, and time-range bounds.

Every listing of the site (gallery and moderation) pages through here, so a cursor means the
same thing everywhere and cannot be replayed against another listing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from gallery.cursors import cursor_decode, cursor_encode

# Sort keys start with an ISO time; these two sort below and above every one of them.
LOWEST = "0"
HIGHEST = "~"  # sorts after every character of an ISO date and of a token_urlsafe id

Item = TypeVar("Item")


@dataclass(frozen=True)
class Page(Generic[Item]):
    """One page of items and the cursor of the next page (None at the end)."""

    items: list[Item] = field(default_factory=list)
    cursor: str | None = None


def cursor_scope(kind: str, *parts: object) -> str:
    """Return a cursor scope tied to the query, so a cursor cannot page another query."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:16]
    return f"{kind}:{digest}"


def time_bound(moment: datetime | None, *, upper: bool) -> str | None:
    """Return the sort-key bound of a moment: every item at that instant falls inside."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("time bounds must be timezone-aware")
    text = f"{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%S.%fZ}"
    return text + "#" + HIGHEST if upper else text


def time_range(date_from: datetime | None, date_to: datetime | None) -> tuple[str, str]:
    """Return the sort-key bounds of a time range; an open end reaches the first or last item."""
    return (
        time_bound(date_from, upper=False) or LOWEST,
        time_bound(date_to, upper=True) or HIGHEST,
    )


def page_query(
    query: Callable[..., Any],
    hash_key: str,
    condition: Any = None,
    *,
    scope: str,
    cursor: str | None,
    limit: int,
    oldest_first: bool = False,
    keep: Callable[[Any], bool] | None = None,
) -> Page:
    """Run one Query of a page (a model's or an index's `query`) and return the page.

    `keep` drops items of the page after reading (a filter the key cannot express); the
    cursor still continues after the last item read.
    """
    results = query(
        hash_key,
        condition,
        scan_index_forward=oldest_first,
        limit=limit,
        page_size=limit,
        last_evaluated_key=cursor_decode(cursor, scope=scope),
    )
    items = [item for item in results if keep is None or keep(item)]
    return Page(items=items, cursor=cursor_encode(results.last_evaluated_key, scope=scope))
