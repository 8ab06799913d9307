"""Reads of photos: every one a GetItem or a Query on a key, never a Scan."""

from __future__ import annotations

from dataclasses import dataclass, field

from gallery.cursors import cursor_decode, cursor_encode
from gallery.models import FEED_PARTITION, Photo

PAGE_SIZE = 24


@dataclass(frozen=True)
class PhotoPage:
    """One page of photos and the cursor of the next page (None at the end)."""

    items: list[Photo] = field(default_factory=list)
    cursor: str | None = None


def photo_get(*, photo_id: str) -> Photo | None:
    """Return the photo with this id, or None."""
    try:
        return Photo.get(photo_id)
    except Photo.DoesNotExist:
        return None


def photo_list_feed(*, cursor: str | None = None, limit: int = PAGE_SIZE) -> PhotoPage:
    """Return visible photos, newest first, one Query per page."""
    results = Photo.feed_index.query(
        FEED_PARTITION,
        scan_index_forward=False,
        limit=limit,
        page_size=limit,
        last_evaluated_key=cursor_decode(cursor, scope="feed"),
    )
    items = list(results)
    return PhotoPage(items=items, cursor=cursor_encode(results.last_evaluated_key, scope="feed"))
