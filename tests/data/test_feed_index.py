"""The feed is a sparse GSI read newest first, one page per Query, with an opaque cursor."""

from __future__ import annotations

from gallery.models import FEED_PARTITION, Photo

from . import factories
from .backends import DYNAMODB_LOCAL

PAGE = 10


def feed_page(cursor: dict | None = None, *, page: int = PAGE) -> tuple[list[Photo], dict | None]:
    """Return one page of the feed, newest first, and the cursor for the next (None at the end)."""
    results = Photo.feed_index.query(
        FEED_PARTITION,
        scan_index_forward=False,
        limit=page,
        page_size=page,
        last_evaluated_key=cursor,
    )
    return list(results), results.last_evaluated_key


def whole_feed(page: int = PAGE) -> tuple[list[str], int]:
    """Follow the cursor to the end; return the photo ids in order and the pages read."""
    ids, cursor, pages = [], None, 0
    while True:
        items, cursor = feed_page(cursor, page=page)
        pages += 1
        ids.extend(item.photo_id for item in items)
        if cursor is None:
            return ids, pages


def test_photos_without_feed_are_not_in_the_index(ddb_backend):
    visible = [factories.photo(i) for i in range(3)]
    hidden = factories.photo(3, visible=False)
    pending = factories.photo(4, visible=False)

    ids, _pages = whole_feed()

    assert sorted(ids) == sorted(photo.photo_id for photo in visible)
    assert hidden.photo_id not in ids and pending.photo_id not in ids


def test_removing_feed_takes_a_photo_out_and_setting_it_puts_it_back(ddb_backend):
    photo = factories.photo()
    photo.update(actions=[Photo.feed.remove()])
    assert whole_feed()[0] == []

    photo.update(actions=[Photo.feed.set(FEED_PARTITION)])
    assert whole_feed()[0] == [photo.photo_id]


def test_paging_returns_every_photo_once_newest_first(ddb_backend):
    photos = [factories.photo(i) for i in range(53)]
    factories.photo(100, visible=False)  # newest of all, but not in the feed

    ids, pages = whole_feed()

    newest_first = [p.photo_id for p in sorted(photos, key=lambda p: p.sort_key, reverse=True)]
    assert ids == newest_first
    assert pages == 6


def test_a_page_holds_at_most_the_limit_and_its_cursor_resumes_after_it(ddb_backend):
    photos = [factories.photo(i) for i in range(2 * PAGE)]
    newest_first = [p.photo_id for p in sorted(photos, key=lambda p: p.sort_key, reverse=True)]

    first, cursor = feed_page()
    second, after_second = feed_page(cursor)

    assert [p.photo_id for p in first] == newest_first[:PAGE]
    assert [p.photo_id for p in second] == newest_first[PAGE:]
    assert set(cursor) == {"photo_id", "feed", "sort_key"}  # table and index keys
    if ddb_backend.name == DYNAMODB_LOCAL:
        # As in AWS, a full last page still has a cursor; the empty page after it ends the feed.
        assert after_second is not None
        assert feed_page(after_second) == ([], None)
    else:
        # moto looks ahead and ends the feed on the full page: the site must handle both.
        assert after_second is None
