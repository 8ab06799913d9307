"""Reading photos: listings are newest first, paged by opaque cursors, and cost the same per
page whatever the table holds (counted in DynamoDB calls and items, never in seconds)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gallery import selectors, services
from gallery.cursors import BadCursor
from gallery.models import Photo

from .conftest import count_dynamodb_calls, png

START = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def thirty(make_photo):
    """Thirty photos, one a minute, the newest last; tiny files keep the test quick."""
    return [
        make_photo(f"Photo {i}", data=png(16, 12), now=START + timedelta(minutes=i))
        for i in range(30)
    ]


def test_the_feed_is_newest_first_and_pages_through_everything_once(thirty):
    first = selectors.photo_list_feed()
    second = selectors.photo_list_feed(cursor=first.cursor)

    assert len(first.items) == 24
    assert [p.name for p in first.items[:2]] == ["Photo 29", "Photo 28"]
    assert [p.name for p in second.items] == [f"Photo {i}" for i in range(5, -1, -1)]
    assert second.cursor is None


def test_a_gallery_page_of_24_costs_one_query_and_reads_24_items(thirty):
    with count_dynamodb_calls() as log:
        page = selectors.photo_list_feed(limit=24)

    assert len(page.items) == 24
    assert log.operations == ["Query"]
    assert log.items <= 25


def test_the_call_counter_sees_what_it_claims_to_see(thirty):
    # Guard the guard: if the hook were attached to the wrong client, the tests above and the
    # no-Scan test would pass vacuously.
    with count_dynamodb_calls() as log:
        list(Photo.scan(limit=3))
        Photo.get(thirty[0].photo_id)

    assert log.operations == ["Scan", "GetItem"]
    assert log.items == 4


def test_cursors_are_opaque_and_tamper_proof(thirty):
    page = selectors.photo_list_feed()

    assert thirty[5].photo_id not in page.cursor
    with pytest.raises(BadCursor):
        selectors.photo_list_feed(cursor=page.cursor[:-2] + "xx")
    with pytest.raises(BadCursor):
        selectors.photo_list_owner(owner_sub="sub-alice", cursor=page.cursor)


def test_my_photos_lists_only_the_owners_photos_newest_first(make_photo):
    mine = [make_photo(f"Mine {i}", data=png(), now=START + timedelta(minutes=i)) for i in range(3)]
    make_photo("Theirs", data=png(), owner_sub="sub-bob", owner_name="Bob")

    page = selectors.photo_list_owner(owner_sub="sub-alice")

    assert [p.photo_id for p in page.items] == [p.photo_id for p in reversed(mine)]


def test_a_time_range_uses_the_feed_index_bounds_inclusively(thirty):
    page = selectors.photo_list_feed(
        date_from=START + timedelta(minutes=10), date_to=START + timedelta(minutes=12)
    )

    assert [p.name for p in page.items] == ["Photo 12", "Photo 11", "Photo 10"]


def test_a_time_range_page_also_costs_one_query(thirty):
    with count_dynamodb_calls() as log:
        page = selectors.photo_list_feed(date_from=START, date_to=START + timedelta(hours=1))

    assert len(page.items) == 24
    assert log.operations == ["Query"]


def test_naive_datetimes_are_refused_rather_than_guessed(thirty):
    with pytest.raises(ValueError):
        selectors.photo_list_feed(date_from=datetime(2026, 1, 1))


def test_the_feed_cards_are_the_feeds_photos_as_cards_page_by_page(thirty):
    services.comment_create(
        photo_id=thirty[-1].photo_id,
        author_sub="sub-bob",
        author_name="Bob",
        body="hi",
        ip="203.0.113.9",
    )
    whole = selectors.photo_list_feed()
    cards = selectors.photo_card_list_feed()
    rest = selectors.photo_card_list_feed(cursor=cards.cursor)

    assert cards.items == [selectors.PhotoCard.of(photo) for photo in whole.items]
    assert cards.items[0].comment_count == 1
    assert cards.items[0].width == 16 and cards.items[0].height == 12
    assert cards.items[0].uploaded_at == START + timedelta(minutes=29)
    assert rest.items == [
        selectors.PhotoCard.of(p) for p in selectors.photo_list_feed(cursor=whole.cursor).items
    ]
    assert rest.cursor is None


def test_the_feed_cards_query_asks_only_for_what_a_card_shows(thirty):
    with count_dynamodb_calls() as log:
        page = selectors.photo_card_list_feed()

    assert len(page.items) == 24
    assert log.operations == ["Query"]
    assert log.items == 24
    (request,) = log.requests
    shown = {
        request["ExpressionAttributeNames"][name]
        for name in request["ProjectionExpression"].split(", ")
    }
    assert shown == {
        "photo_id",
        "name",
        "grid_key",
        "width",
        "height",
        "uploaded_at",
        "comment_count",
        "status",
        "visibility",  # the badge of an unlisted or private photo in "My photos"
    }
    assert request["IndexName"] == "feed"


def test_cursors_of_cards_and_of_photos_are_the_same_listing(thirty):
    assert selectors.photo_card_list_feed(cursor=selectors.photo_list_feed().cursor).items == [
        selectors.PhotoCard.of(p) for p in thirty[5::-1]
    ]
    with pytest.raises(BadCursor):
        selectors.photo_card_list_feed(cursor="forged")
    with pytest.raises(BadCursor):
        selectors.photo_card_list_owner(
            owner_sub="sub-alice", cursor=selectors.photo_card_list_feed().cursor
        )


def test_my_photos_as_cards_are_the_owners_photos_hidden_ones_included(make_photo):
    mine = [make_photo(f"Mine {i}", data=png(), now=START + timedelta(minutes=i)) for i in range(3)]
    make_photo("Theirs", data=png(), owner_sub="sub-bob", owner_name="Bob")
    services.photo_hide(photo_id=mine[0].photo_id)

    cards = selectors.photo_card_list_owner(owner_sub="sub-alice")

    assert cards.items == [
        selectors.PhotoCard.of(p) for p in selectors.photo_list_owner(owner_sub="sub-alice").items
    ]
    assert [c.photo_id for c in cards.items] == [p.photo_id for p in reversed(mine)]
    assert selectors.photo_card_list_feed().items == [
        selectors.PhotoCard.of(p) for p in selectors.photo_list_feed().items
    ]
    assert mine[0].photo_id not in {c.photo_id for c in selectors.photo_card_list_feed().items}
