"""The dashboard's counters: each write counts in its own transaction, exactly once, however
many writers race and however often one is retried."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from gallery import counters, services
from gallery.counters import HIDDEN_COMMENTS, HIDDEN_PHOTOS, counter_values, day_key
from gallery.errors import Conflict
from gallery.models import Photo
from gallery.services import moderation
from tests.gallery.conftest import browser_upload_arrived, jpeg, race, transaction_conflicts_on
from tests.gallery.test_comments import comment

T0 = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
N = 8


def count(key: str) -> int:
    return counter_values(counter_keys=[key])[key]


def test_a_counter_never_written_reads_zero(aws_stack):
    assert counter_values(counter_keys=[HIDDEN_PHOTOS, "uploads#2000-01-01"]) == {
        HIDDEN_PHOTOS: 0,
        "uploads#2000-01-01": 0,
    }


def test_n_concurrent_hides_count_exactly_n(make_photo):
    photos = [make_photo(f"p{n}") for n in range(N)]

    race(N, lambda n: moderation.photo_hide(photo_id=photos[n].photo_id))

    assert count(HIDDEN_PHOTOS) == N


def test_one_photo_hidden_by_n_racing_moderators_counts_once(make_photo):
    photo = make_photo()

    def hide(_n: int) -> str:
        try:
            moderation.photo_hide(photo_id=photo.photo_id, expected_version=photo.version)
        except Conflict:
            return "conflict"
        return "hidden"

    outcomes = race(N, hide)

    assert "hidden" in outcomes
    assert count(HIDDEN_PHOTOS) == 1


def test_a_retried_hide_counts_once(make_photo):
    photo = make_photo()

    moderation.photo_hide(photo_id=photo.photo_id, expected_version=photo.version)
    # The same request again (a double click, a client retry): its version is stale now.
    with pytest.raises(Conflict):
        moderation.photo_hide(photo_id=photo.photo_id, expected_version=photo.version)
    moderation.photo_hide(photo_id=photo.photo_id)  # no version: hiding a hidden photo is a no-op

    assert count(HIDDEN_PHOTOS) == 1


def test_unhide_and_deleting_a_hidden_photo_uncount_it(make_photo, moderator):
    first, second = make_photo("first"), make_photo("second")
    moderation.photo_hide(photo_id=first.photo_id)
    moderation.photo_hide(photo_id=second.photo_id)

    moderation.photo_unhide(photo_id=first.photo_id)
    assert count(HIDDEN_PHOTOS) == 1
    services.photo_delete(photo_id=second.photo_id, actor=moderator)
    assert count(HIDDEN_PHOTOS) == 0
    services.photo_delete(photo_id=first.photo_id, actor=moderator)  # visible: no change
    assert count(HIDDEN_PHOTOS) == 0


def test_hidden_comments_are_counted_and_uncounted_by_every_way_they_go(make_photo, moderator):
    photo, other = make_photo("a"), make_photo("b")
    made = [comment(photo, f"c{n}") for n in range(3)] + [comment(other, "d")]
    for each in made:
        moderation.comment_hide(photo_id=each.photo_id, created_key=each.created_key)
    assert count(HIDDEN_COMMENTS) == 4

    moderation.comment_unhide(photo_id=photo.photo_id, created_key=made[0].created_key)
    services.comment_delete(
        photo_id=other.photo_id, created_key=made[3].created_key, actor=moderator
    )
    assert count(HIDDEN_COMMENTS) == 2
    services.photo_delete(photo_id=photo.photo_id, actor=moderator)  # its 2 hidden comments go
    assert count(HIDDEN_COMMENTS) == 0


def test_n_concurrent_comment_hides_count_exactly_n(make_photo):
    photo = make_photo()
    made = [comment(photo, f"c{n}", now=T0.replace(minute=n)) for n in range(N)]

    race(
        N,
        lambda n: moderation.comment_hide(photo_id=photo.photo_id, created_key=made[n].created_key),
    )

    assert count(HIDDEN_COMMENTS) == N


def test_uploads_and_comments_count_on_their_utc_day(make_photo):
    photos = race(N, lambda n: make_photo(f"p{n}", now=T0))
    race(N, lambda n: comment(photos[n], now=T0.replace(minute=n)))

    assert count(day_key(counters.UPLOADS, T0.date())) == N
    assert count(day_key(counters.COMMENTS, T0.date())) == N


@pytest.fixture
def photo_transaction_conflicts():
    """Make DynamoDB cancel the next N TransactWriteItems on the photos' connection with
    TransactionConflict, as it does when a concurrent transaction holds the counter item."""
    with transaction_conflicts_on(Photo._get_connection().connection.client) as pending:
        yield pending


def test_a_hide_cancelled_for_a_conflict_is_tried_again_and_counted_once(
    make_photo, photo_transaction_conflicts
):
    photo = make_photo()
    photo_transaction_conflicts.update(conflicts=2, calls=0)

    hidden = moderation.photo_hide(photo_id=photo.photo_id, expected_version=photo.version)

    assert photo_transaction_conflicts["calls"] == 3
    assert count(HIDDEN_PHOTOS) == 1
    assert hidden.version == photo.version + 1 == Photo.get(photo.photo_id).version


def test_a_browser_upload_completed_by_racing_and_retried_calls_counts_once(aws_stack):
    ticket = browser_upload_arrived(jpeg())
    photo_id = ticket.photo.photo_id

    def complete(_n: int) -> str:
        try:
            services.upload_complete(photo_id=photo_id, owner_sub="sub-alice")
        except Conflict:
            return "in progress"
        return "published"

    race(N, complete)
    services.upload_complete(photo_id=photo_id, owner_sub="sub-alice")  # a retry afterwards

    published = Photo.get(photo_id).uploaded_at
    assert count(day_key(counters.UPLOADS, published.date())) == 1
