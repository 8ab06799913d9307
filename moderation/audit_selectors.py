"""Reads of the audit trail: Queries on the table key and its indexes, never a Scan."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from gallery.cursors import cursor_decode, cursor_encode
from moderation.records import FEED_PARTITION, AuditEvent, object_key

PAGE_SIZE = 50
HISTORY_SIZE = 50


@dataclass(frozen=True)
class EventPage:
    """One page of events, newest first, and the cursor of the next page (None at the end)."""

    items: list[AuditEvent] = field(default_factory=list)
    cursor: str | None = None


@dataclass(frozen=True)
class EventFilters:
    """What the trail can be narrowed to; empty strings mean "any"."""

    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def scope(self) -> str:
        """Return the cursor scope: a cursor only continues the listing it came from."""
        return "audit:" + hashlib.sha256(repr(self).encode()).hexdigest()[:16]


def _created_range(filters: EventFilters) -> Any:
    if filters.date_from is None and filters.date_to is None:
        return None
    lower = (
        f"{datetime.combine(filters.date_from, time.min, tzinfo=UTC):%Y-%m-%dT%H:%M:%S.%fZ}"
        if filters.date_from
        else "0"
    )
    upper = (
        f"{datetime.combine(filters.date_to, time.max, tzinfo=UTC):%Y-%m-%dT%H:%M:%S.%fZ}~"
        if filters.date_to
        else "~"
    )
    return AuditEvent.created_key.between(lower, upper)


def event_page(
    *, filters: EventFilters, cursor: str | None = None, limit: int = PAGE_SIZE
) -> EventPage:
    """Return one page of events matching the filters, newest first.

    The most selective key decides what is read: an object's own partition, else the actor's
    index, else the action's, else the feed of everything. Other filters narrow that page
    server-side (DynamoDB then reads on until the page is full, or the partition ends).
    Raises gallery.cursors.BadCursor for a cursor of another listing.
    """
    condition = _created_range(filters)
    narrowing = []
    if filters.object_type and filters.object_id:
        query = AuditEvent.query
        partition = object_key(filters.object_type, filters.object_id)
    elif filters.actor:
        query, partition = AuditEvent.actor_index.query, filters.actor
        if filters.object_type:
            narrowing.append(AuditEvent.object_type == filters.object_type)
    elif filters.action:
        query, partition = AuditEvent.action_index.query, filters.action
        if filters.object_type:
            narrowing.append(AuditEvent.object_type == filters.object_type)
    else:
        query, partition = AuditEvent.feed_index.query, FEED_PARTITION
        if filters.object_type:
            narrowing.append(AuditEvent.object_type == filters.object_type)
    if filters.action and (filters.actor or (filters.object_type and filters.object_id)):
        narrowing.append(AuditEvent.action == filters.action)
    if filters.actor and filters.object_type and filters.object_id:
        narrowing.append(AuditEvent.actor_sub == filters.actor)
    filter_condition = None
    for part in narrowing:
        filter_condition = part if filter_condition is None else filter_condition & part
    scope = filters.scope()
    results = query(
        partition,
        condition,
        filter_condition=filter_condition,
        scan_index_forward=False,
        limit=limit,
        page_size=limit,
        last_evaluated_key=cursor_decode(cursor, scope=scope),
    )
    items = list(results)
    return EventPage(items=items, cursor=cursor_encode(results.last_evaluated_key, scope=scope))


def event_list_for(
    *, object_type: str, object_id: str, limit: int = HISTORY_SIZE
) -> list[AuditEvent]:
    """Return an object's history, newest first (one Query on its partition)."""
    return list(
        AuditEvent.query(object_key(object_type, object_id), scan_index_forward=False, limit=limit)
    )


def event_list_recent(*, limit: int = 10) -> list[AuditEvent]:
    """Return the latest events across the site (the admin index's "recent actions")."""
    return list(AuditEvent.feed_index.query(FEED_PARTITION, scan_index_forward=False, limit=limit))


def event_get(*, key: str, created_key: str) -> AuditEvent | None:
    """Return one event by its key, or None."""
    try:
        return AuditEvent.get(key, created_key)
    except AuditEvent.DoesNotExist:
        return None
