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

from pynamodb.indexes import Index
from pynamodb.models import Model

from gallery.cursors import NOT_IN_LISTING, BadCursor, cursor_decode, cursor_encode

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
    try:
        utc = moment.astimezone(UTC)
    except OverflowError:
        # Year 1 east of UTC, or 9999 west of it, has no UTC time Python can hold: it lies
        # before (or after) every upload, so clamp to the bound that sorts below (above) all.
        return LOWEST if moment.year == 1 else HIGHEST
    text = f"{utc:%Y-%m-%dT%H:%M:%S.%fZ}"
    return text + "#" + HIGHEST if upper else text


def time_range(date_from: datetime | None, date_to: datetime | None) -> tuple[str, str]:
    """Return the sort-key bounds of a time range; an open end reaches the first or last item.

    A range that ends before it starts holds nothing: it becomes one bound that no sort key
    equals, since DynamoDB refuses a BETWEEN whose bounds are reversed.
    """
    lower = time_bound(date_from, upper=False) or LOWEST
    upper = time_bound(date_to, upper=True) or HIGHEST
    if lower > upper:
        return HIGHEST, HIGHEST
    return lower, upper


def key_shape(query: Callable[..., Any]) -> dict[str, str] | None:
    """Return the attributes (name to DynamoDB type) of a LastEvaluatedKey of `query`.

    A table's query pages by the table's key; an index's by the index key and the table key.
    None for a callable that is neither (then a cursor is checked for its signature only).
    """
    owner = getattr(query, "__self__", None)
    if isinstance(owner, Index):
        # PynamoDB binds each index to its model class when the model is defined.
        model = getattr(owner, "_model", None)
        attributes = list(owner.Meta.attributes.values())
    elif isinstance(owner, type) and issubclass(owner, Model):
        model, attributes = owner, []
    else:
        return None
    if model is not None:
        attributes += list(model.get_attributes().values())
    return {
        attribute.attr_name: attribute.attr_type
        for attribute in attributes
        if attribute.is_hash_key or attribute.is_range_key
    }


def page_start(
    query: Callable[..., Any], hash_key: str, *, scope: str, cursor: str | None
) -> dict[str, Any] | None:
    """Return the start key a cursor of this listing names (None for the first page).

    BadCursor if the cursor is malformed, was made for another listing, or points outside the
    partition `hash_key` that `query` (a model's or an index's `query`) reads.
    """
    shape = key_shape(query)
    start = cursor_decode(cursor, scope=scope, shape=shape)
    if start is not None and shape is not None and {"S": hash_key} not in start.values():
        # A start key outside the partition read is no position in this listing.
        raise BadCursor(NOT_IN_LISTING)
    return start


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
    start = page_start(query, hash_key, scope=scope, cursor=cursor)
    results = query(
        hash_key,
        condition,
        scan_index_forward=oldest_first,
        limit=limit,
        page_size=limit,
        last_evaluated_key=start,
    )
    items = [item for item in results if keep is None or keep(item)]
    return Page(items=items, cursor=cursor_encode(results.last_evaluated_key, scope=scope))
