"""Reads for the moderation pages: Queries on keys and indexes, never a Scan."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.core.cache import cache

from gallery import selectors as gallery_selectors
from gallery.cursors import cursor_decode, cursor_encode
from gallery.models import (
    FEED_PARTITION,
    STATUS_HIDDEN,
    STATUS_VISIBLE,
    Comment,
    Photo,
    ShareLink,
)

PAGE_SIZE = 50
DASHBOARD_DAYS = 30
DASHBOARD_CACHE_SECONDS = 300
_LOWEST = "0"
_HIGHEST = "~"


@dataclass(frozen=True)
class Page:
    """One page of items and the cursor of the next one (None at the end)."""

    items: list[Any] = field(default_factory=list)
    cursor: str | None = None


def _scope(kind: str, *parts: object) -> str:
    return f"admin-{kind}:" + hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def _range(date_from: datetime | None, date_to: datetime | None) -> Any:
    if date_from is None and date_to is None:
        return None
    return Photo.sort_key.between(
        gallery_selectors.time_bound(date_from, upper=False) or _LOWEST,
        gallery_selectors.time_bound(date_to, upper=True) or _HIGHEST,
    )


def photo_list(
    *,
    status: str = STATUS_VISIBLE,
    owner_sub: str = "",
    q: str = "",
    date_from: datetime | None = None,
    date_to: datetime | None = None,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> Page:
    """Return photos newest first, one Query a page, from the index that fits the filters.

    - a name: the gallery's search-term index (it holds visible photos only: hiding a photo
      removes its terms);
    - an uploader: the owner index (every status; the status filter is applied to that page);
    - hidden: the sparse `hidden` index; otherwise the sparse `feed` index.
    Dates become `sort_key BETWEEN` on whichever index is read.
    """
    if q:
        page = gallery_selectors.photo_search(
            q=q, date_from=date_from, date_to=date_to, cursor=cursor, limit=limit
        )
        items = [p for p in page.items if not owner_sub or p.owner_sub == owner_sub]
        return Page(items=items, cursor=page.cursor)
    condition = _range(date_from, date_to)
    if owner_sub:
        scope = _scope("owner", owner_sub, date_from, date_to)
        results = Photo.owner_index.query(
            owner_sub,
            condition,
            scan_index_forward=False,
            limit=limit,
            page_size=limit,
            last_evaluated_key=cursor_decode(cursor, scope=scope),
        )
        items = [p for p in results if not status or p.status == status]
    else:
        index = Photo.hidden_index if status == STATUS_HIDDEN else Photo.feed_index
        scope = _scope(index.Meta.index_name, date_from, date_to)
        results = index.query(
            FEED_PARTITION,
            condition,
            scan_index_forward=False,
            limit=limit,
            page_size=limit,
            last_evaluated_key=cursor_decode(cursor, scope=scope),
        )
        items = list(results)
    return Page(items=items, cursor=cursor_encode(results.last_evaluated_key, scope=scope))


def photo_get(*, photo_id: str) -> Photo | None:
    """Return a photo (any status), read consistently so a moderator acts on its latest version."""
    try:
        return Photo.get(photo_id, consistent_read=True)
    except Photo.DoesNotExist:
        return None


def comment_list_recent(
    *, hidden_only: bool = False, cursor: str | None = None, limit: int = PAGE_SIZE
) -> Page:
    """Return comments across the site, newest first (`recent` index, or the sparse `hidden`)."""
    if hidden_only:
        scope = _scope("comments-hidden")
        results = Comment.hidden_index.query(
            FEED_PARTITION,
            scan_index_forward=False,
            limit=limit,
            page_size=limit,
            last_evaluated_key=cursor_decode(cursor, scope=scope),
        )
        keys = [(c.photo_id, c.created_key) for c in results]
        # The hidden index projects keys only: one BatchGet for the page.
        found = {(c.photo_id, c.created_key): c for c in Comment.batch_get(keys)} if keys else {}
        items = [found[key] for key in keys if key in found]
    else:
        scope = _scope("comments-recent")
        results = Comment.recent_index.query(
            FEED_PARTITION,
            scan_index_forward=False,
            limit=limit,
            page_size=limit,
            last_evaluated_key=cursor_decode(cursor, scope=scope),
        )
        items = list(results)
    return Page(items=items, cursor=cursor_encode(results.last_evaluated_key, scope=scope))


def comment_list_for_photo(
    *, photo_id: str, cursor: str | None = None, limit: int = PAGE_SIZE
) -> Page:
    """Return every comment of a photo, hidden ones included, newest first."""
    scope = _scope("comments-photo", photo_id)
    results = Comment.query(
        photo_id,
        scan_index_forward=False,
        limit=limit,
        page_size=limit,
        last_evaluated_key=cursor_decode(cursor, scope=scope),
    )
    items = list(results)
    return Page(items=items, cursor=cursor_encode(results.last_evaluated_key, scope=scope))


def comment_get(*, photo_id: str, created_key: str) -> Comment | None:
    """Return one comment (hidden or not), read consistently, or None."""
    try:
        return Comment.get(photo_id, created_key, consistent_read=True)
    except Comment.DoesNotExist:
        return None


def share_link_get(*, token: str) -> ShareLink | None:
    """Return one share link, or None."""
    try:
        return ShareLink.get(token)
    except ShareLink.DoesNotExist:
        return None


def share_link_list_active(
    *, photo_id: str = "", owner_sub: str = "", now: datetime | None = None, limit: int = 200
) -> list[ShareLink]:
    """Return the unrevoked, unexpired links of a photo or of a user, newest first."""
    now = now or datetime.now(UTC)
    if photo_id:
        keys = [
            link.token
            for link in ShareLink.photo_index.query(photo_id, scan_index_forward=False, limit=limit)
        ]
        links = (
            sorted(ShareLink.batch_get(keys), key=lambda link: link.created_key, reverse=True)
            if keys
            else []
        )
    elif owner_sub:
        links = list(ShareLink.owner_index.query(owner_sub, scan_index_forward=False, limit=limit))
    else:
        return []
    return [link for link in links if not link.revoked and not link.is_expired(now=now)]


@dataclass(frozen=True)
class Dashboard:
    """What the admin index shows: activity per day and what is hidden."""

    days: list[date]
    uploads: list[int]
    comments: list[int]
    hidden_photos: int
    hidden_comments: int


def _per_day(query: Any, field_name: str, days: list[date]) -> list[int]:
    counts: Counter[str] = Counter()
    for item in query:
        counts[getattr(item, field_name)[:10]] += 1
    return [counts[day.isoformat()] for day in days]


def dashboard(*, today: date | None = None, use_cache: bool = True) -> Dashboard:
    """Count uploads and comments per day over the last 30 days, and hidden items.

    One range Query per index (feed, hidden, recent comments), reading only the sort keys,
    instead of 30 per-day `Select=COUNT` Queries: DynamoDB charges COUNT queries for every item
    they read anyway, so one paged range read costs the same capacity in far fewer round trips.
    The cost grows with the last 30 days' activity, not with the table; the result is cached
    for five minutes. At high volume, per-day counters (atomic ADD on upload and comment)
    would make it constant; see docs/admin.md.
    """
    today = today or datetime.now(UTC).date()
    key = f"moderation:dashboard:{today.isoformat()}"
    if use_cache and (cached := cache.get(key)) is not None:
        return cached
    days = [today - timedelta(days=n) for n in range(DASHBOARD_DAYS - 1, -1, -1)]
    lower, upper = days[0].isoformat(), days[-1].isoformat() + "T" + _HIGHEST
    photo_range = Photo.sort_key.between(lower, upper)
    visible = _per_day(
        Photo.feed_index.query(FEED_PARTITION, photo_range, attributes_to_get=["sort_key"]),
        "sort_key",
        days,
    )
    hidden = _per_day(
        Photo.hidden_index.query(FEED_PARTITION, photo_range, attributes_to_get=["sort_key"]),
        "sort_key",
        days,
    )
    comments = _per_day(
        Comment.recent_index.query(
            FEED_PARTITION,
            Comment.created_key.between(lower, upper),
            attributes_to_get=["created_key"],
        ),
        "created_key",
        days,
    )
    result = Dashboard(
        days=days,
        uploads=[a + b for a, b in zip(visible, hidden, strict=True)],
        comments=comments,
        hidden_photos=Photo.hidden_index.count(FEED_PARTITION),
        hidden_comments=Comment.hidden_index.count(FEED_PARTITION),
    )
    if use_cache:
        cache.set(key, result, DASHBOARD_CACHE_SECONDS)
    return result
