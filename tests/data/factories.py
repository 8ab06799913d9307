"""Items shaped as the site stores them, written straight through the PynamoDB models.

The gallery services are being rewritten; these tests pin the DynamoDB behaviour the services
rely on, so they build items with the models themselves.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from gallery.models import FEED_PARTITION, STATUS_VISIBLE, Comment, Photo, time_key

BASE_TIME = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def photo(
    index: int = 0, *, owner: str = "user-1", visible: bool = True, save: bool = True
) -> Photo:
    """Return a completed photo uploaded `index` seconds after BASE_TIME (saved: version 1)."""
    photo_id = f"photo-{index:05d}-{uuid.uuid4().hex[:8]}"
    uploaded_at = BASE_TIME + timedelta(seconds=index)
    sort_key = time_key(uploaded_at, photo_id)
    item = Photo(
        photo_id,
        status=STATUS_VISIBLE,
        name=f"西湖 sunset {index}.jpg",
        caption="",
        owner_sub=owner,
        owner_name="张伟",
        uploader_ip="203.0.113.7",
        uploaded_at=uploaded_at,
        sort_key=sort_key,
        original_key=f"originals/{owner}/{photo_id}.jpg",
        grid_key=f"grid/{owner}/{photo_id}.webp",
        display_key=f"display/{owner}/{photo_id}.webp",
        content_type="image/jpeg",
        width=4000,
        height=3000,
        size_bytes=2_400_000,
        feed=FEED_PARTITION if visible else None,
        owner_feed=owner,
    )
    if save:
        item.save()
    return item


def comment(photo_id: str, index: int = 0, *, body: str = "好看！ nice") -> Comment:
    """Return an unsaved comment on a photo, created `index` seconds after BASE_TIME."""
    created_at = BASE_TIME + timedelta(minutes=5, seconds=index)
    comment_id = uuid.uuid4().hex
    return Comment(
        photo_id,
        time_key(created_at, comment_id),
        comment_id=comment_id,
        author_sub="user-2",
        author_name="李娜",
        body=body,
        ip="198.51.100.9",
        created_at=created_at,
    )
