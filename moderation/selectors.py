"""Reads for the moderation pages: Queries on keys and indexes, never a Scan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from gallery import counters
from gallery import selectors as gallery_selectors
from gallery.models import (
    FEED_PARTITION,
    STATUS_HIDDEN,
    STATUS_VISIBLE,
    Comment,
    Photo,
    ShareLink,
)
from gallery.paging import Page, cursor_scope, page_query

__all__ = [
    "Dashboard",
    "Page",
    "comment_get",
    "comment_list_for_photo",
    "comment_list_recent",
    "dashboard",
    "photo_get",
    "photo_list",
    "photo_names",
    "share_link_get",
    "share_link_list_active",
]

PAGE_SIZE = 50
DASHBOARD_DAYS = 30


def _scope(kind: str, *parts: object) -> str:
    # The admin's listings page apart from the gallery's: a gallery cursor cannot page them.
    return cursor_scope(f"admin-{kind}", *parts)


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
    condition = gallery_selectors.photo_time_range(date_from, date_to)
    if owner_sub:
        return page_query(
            Photo.owner_index.query,
            owner_sub,
            condition,
            scope=_scope("owner", owner_sub, date_from, date_to),
            cursor=cursor,
            limit=limit,
            keep=lambda photo: not status or photo.status == status,
        )
    index = Photo.hidden_index if status == STATUS_HIDDEN else Photo.feed_index
    return page_query(
        index.query,
        FEED_PARTITION,
        condition,
        scope=_scope(index.Meta.index_name, date_from, date_to),
        cursor=cursor,
        limit=limit,
    )


def photo_get(*, photo_id: str) -> Photo | None:
    """Return a photo (any status), read consistently so a moderator acts on its latest version,
    or None (the public read is gallery.selectors.photo_get_visible)."""
    try:
        return Photo.get(photo_id, consistent_read=True)
    except Photo.DoesNotExist:
        return None


def photo_names(*, photo_ids: list[str]) -> dict[str, str]:
    """Return the names of these photos by id, in BatchGetItem calls reading only the name;
    a deleted photo is simply absent."""
    wanted = list(dict.fromkeys(photo_ids))
    if not wanted:
        return {}
    return {
        photo.photo_id: photo.name
        for photo in Photo.batch_get(wanted, attributes_to_get=["photo_id", "name"])
    }


def comment_list_recent(
    *, hidden_only: bool = False, cursor: str | None = None, limit: int = PAGE_SIZE
) -> Page:
    """Return comments across the site, newest first (`recent` index, or the sparse `hidden`)."""
    now = datetime.now(UTC)
    if not hidden_only:
        return page_query(
            Comment.recent_index.query,
            FEED_PARTITION,
            scope=_scope("comments-recent"),
            cursor=cursor,
            limit=limit,
            # A comment past its TTL went with its photo, purged from the trash.
            keep=lambda comment: not comment.is_expired(now=now),
        )
    page = page_query(
        Comment.hidden_index.query,
        FEED_PARTITION,
        scope=_scope("comments-hidden"),
        cursor=cursor,
        limit=limit,
    )
    keys = [(c.photo_id, c.created_key) for c in page.items]
    # The hidden index projects keys only: one BatchGet for the page.
    found = {(c.photo_id, c.created_key): c for c in Comment.batch_get(keys)} if keys else {}
    kept = [found[key] for key in keys if key in found and not found[key].is_expired(now=now)]
    return Page(items=kept, cursor=page.cursor)


def comment_list_for_photo(
    *, photo_id: str, cursor: str | None = None, limit: int = PAGE_SIZE
) -> Page:
    """Return every comment of a photo, hidden ones included, newest first (for moderators;
    the public timeline is gallery.selectors.comment_list_timeline)."""
    return page_query(
        Comment.query,
        photo_id,
        scope=_scope("comments-photo", photo_id),
        cursor=cursor,
        limit=limit,
    )


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
    """What the admin index shows: activity per day (UTC) and what is hidden now, read from
    the counters the writes keep (gallery.counters) at `computed_at`."""

    days: list[date]
    uploads: list[int]
    comments: list[int]
    hidden_photos: int
    hidden_comments: int
    computed_at: datetime


def dashboard(*, today: date | None = None) -> Dashboard:
    """Read the dashboard's counters: uploads and comments on each of the last 30 days, and
    the hidden photos and comments, in one BatchGetItem of 62 counter items.

    The counters change in the same transaction as the writes they count, so the page is
    exact the moment a moderation action commits, and its cost does not grow with the
    site's activity (nothing is recounted, nothing is cached).
    """
    today = today or datetime.now(UTC).date()
    days = [today - timedelta(days=n) for n in range(DASHBOARD_DAYS - 1, -1, -1)]
    keys = {
        (kind, day): counters.day_key(kind, day)
        for kind in (counters.UPLOADS, counters.COMMENTS)
        for day in days
    }
    values = counters.counter_values(
        counter_keys=[*keys.values(), counters.HIDDEN_PHOTOS, counters.HIDDEN_COMMENTS]
    )
    return Dashboard(
        days=days,
        uploads=[values[keys[counters.UPLOADS, day]] for day in days],
        comments=[values[keys[counters.COMMENTS, day]] for day in days],
        hidden_photos=values[counters.HIDDEN_PHOTOS],
        hidden_comments=values[counters.HIDDEN_COMMENTS],
        computed_at=datetime.now(UTC),
    )
