"""Count the dashboard's counters again from the indexes, for data older than the counters.

The counters (gallery.counters) are kept by the writes themselves; a site that had photos,
comments and hidden items before they existed starts them at zero, and an unhide of a photo
hidden back then would take the count below zero. `counters_rebuild` counts what the indexes
hold now and writes it: run it once after deploying the counters
(`python manage.py counters_rebuild`), at a quiet moment (a write between its count and its
put is lost from the count; running it again corrects that). Running it twice is harmless.

It reads the last `days` days of the feed, hidden and recent-comment indexes (the cost the
dashboard no longer pays on every load), and counts the sparse hidden indexes.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

from gallery.counters import (
    COMMENTS,
    HIDDEN_COMMENTS,
    HIDDEN_PHOTOS,
    UPLOADS,
    ActivityCounter,
    day_key,
)
from gallery.models import FEED_PARTITION, Comment, Photo
from gallery.paging import HIGHEST

DAYS = 30


def _per_day(items: Any, field_name: str) -> Counter[str]:
    return Counter(getattr(item, field_name)[:10] for item in items)


def counters_rebuild(*, today: date | None = None, days: int = DAYS) -> dict[str, int]:
    """Count uploads and comments per UTC day over the last `days` days, and the hidden
    photos and comments, from the indexes; write each counter (PutItem) and return them."""
    today = today or datetime.now(UTC).date()
    first = today - timedelta(days=days - 1)
    lower, upper = first.isoformat(), today.isoformat() + "T" + HIGHEST
    photo_range = Photo.sort_key.between(lower, upper)
    uploads = Counter[str]()
    for index in (Photo.feed_index, Photo.hidden_index):
        uploads += _per_day(
            index.query(FEED_PARTITION, photo_range, attributes_to_get=["sort_key"]), "sort_key"
        )
    comments = _per_day(
        Comment.recent_index.query(
            FEED_PARTITION,
            Comment.created_key.between(lower, upper),
            attributes_to_get=["created_key"],
        ),
        "created_key",
    )
    totals: dict[str, int] = {}
    for n in range(days):
        day = first + timedelta(days=n)
        totals[day_key(UPLOADS, day)] = uploads[day.isoformat()]
        totals[day_key(COMMENTS, day)] = comments[day.isoformat()]
    totals[HIDDEN_PHOTOS] = Photo.hidden_index.count(FEED_PARTITION)
    totals[HIDDEN_COMMENTS] = Comment.hidden_index.count(FEED_PARTITION)
    with ActivityCounter.batch_write() as batch:
        for key, total in totals.items():
            batch.save(ActivityCounter(key, total=total))
    return totals
