"""Comments: a timeline per photo with author, time and IP; an exact count; author-only edits
with optimistic locking; a length limit and a per-user rate limit."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from pynamodb.exceptions import TransactWriteError

from gallery import selectors, services
from gallery.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited
from gallery.models import Comment, Photo, RetainedIp, comment_ip_key
from tests.accounts.users import site_user
from tests.gallery.conftest import transaction_conflicts_on

T0 = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)


def comment(photo, body="nice", *, who="sub-bob", name="Bob", now=None, ip="192.0.2.10"):
    return services.comment_create(
        photo_id=photo.photo_id, author_sub=who, author_name=name, body=body, ip=ip, now=now
    )


def test_a_comment_stores_author_time_and_its_ip_network_keeping_the_full_ip_apart(make_photo):
    photo = make_photo()

    made = comment(photo, "好看！<script>alert(1)</script>", now=T0, ip="2001:db8::7")

    stored = Comment.get(photo.photo_id, made.created_key)
    assert stored.body == "好看！<script>alert(1)</script>"  # stored as typed, escaped on output
    assert (stored.author_sub, stored.author_name, stored.ip) == ("sub-bob", "Bob", "2001:db8:0:x")
    assert stored.created_at == T0
    # The full address lives in an item of its own until the retention period ends.
    kept = RetainedIp.get(comment_ip_key(photo.photo_id, made.created_key))
    assert kept.ip == "2001:db8::7"


def test_the_timeline_is_oldest_first(make_photo):
    photo = make_photo()
    for i, minute in enumerate([5, 1, 3]):
        comment(photo, f"c{i}", now=T0 + timedelta(minutes=minute))

    assert [c.body for c in selectors.comment_list_timeline(photo_id=photo.photo_id).items] == [
        "c1",
        "c2",
        "c0",
    ]


def test_the_comment_count_is_exact_under_concurrency(make_photo, settings):
    settings.PHOTOSITE_COMMENT_RATE_LIMIT = 100
    photo = make_photo()
    errors: list[BaseException] = []

    def post(i: int) -> None:
        try:
            comment(photo, f"comment {i}", who=f"sub-{i}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Photo.get(photo.photo_id).comment_count == 12
    made = selectors.comment_list_timeline(photo_id=photo.photo_id).items
    services.comment_delete(
        photo_id=photo.photo_id,
        created_key=made[0].created_key,
        actor=site_user(made[0].author_sub, ""),
    )
    assert Photo.get(photo.photo_id).comment_count == 11


@pytest.fixture
def transaction_conflicts():
    """Make DynamoDB cancel the next N TransactWriteItems calls with TransactionConflict."""
    with transaction_conflicts_on(Comment._get_connection().connection.client) as pending:
        yield pending


def test_a_transaction_conflict_is_tried_again_and_counted_once(make_photo, transaction_conflicts):
    photo = make_photo()
    transaction_conflicts["conflicts"] = 2

    comment(photo, "after two conflicts")

    assert transaction_conflicts["calls"] == 3
    assert Photo.get(photo.photo_id).comment_count == 1
    assert len(selectors.comment_list_timeline(photo_id=photo.photo_id).items) == 1


def test_endless_conflicts_give_up_and_write_nothing(make_photo, transaction_conflicts):
    photo = make_photo()
    transaction_conflicts["conflicts"] = 100

    with pytest.raises(TransactWriteError):
        comment(photo, "never")

    assert transaction_conflicts["calls"] == services.TRANSACTION_ATTEMPTS
    assert Photo.get(photo.photo_id).comment_count == 0
    assert selectors.comment_list_timeline(photo_id=photo.photo_id).items == []


def test_commenting_does_not_make_the_owners_edit_stale(make_photo):
    photo = make_photo("Before")
    comment(photo)

    services.photo_update(
        photo_id=photo.photo_id,
        actor=site_user("sub-alice", "Alice"),
        name="After",
        caption="",
        expected_version=photo.version,
    )

    assert Photo.get(photo.photo_id).name == "After"


def test_a_comment_on_a_missing_photo_writes_nothing(aws_stack):
    with pytest.raises(NotFound):
        services.comment_create(
            photo_id="nope", author_sub="sub-bob", author_name="Bob", body="hello", ip=""
        )

    assert list(Comment.scan()) == []


@pytest.mark.parametrize("body", ["", "   \n "])
def test_an_empty_comment_is_refused(make_photo, body):
    with pytest.raises(Invalid):
        comment(make_photo(), body)


def test_a_comment_over_the_limit_is_refused(make_photo, settings):
    settings.PHOTOSITE_COMMENT_MAX_CHARS = 10
    photo = make_photo()

    comment(photo, "评" * 10)
    with pytest.raises(Invalid) as caught:
        comment(photo, "评" * 11)

    assert "at most 10" in caught.value.message
    assert Photo.get(photo.photo_id).comment_count == 1


def test_the_rate_limit_is_per_user_and_per_window(make_photo, settings):
    settings.PHOTOSITE_COMMENT_RATE_LIMIT = 2
    settings.PHOTOSITE_COMMENT_RATE_WINDOW = 60
    photo = make_photo()
    now = datetime(2026, 5, 1, 10, 0, 5, tzinfo=UTC)

    comment(photo, "1", now=now)
    comment(photo, "2", now=now)
    with pytest.raises(RateLimited) as caught:
        comment(photo, "3", now=now)
    comment(photo, "other user", who="sub-carol", now=now)
    comment(photo, "next window", now=now + timedelta(seconds=60))

    assert caught.value.status == 429
    assert Photo.get(photo.photo_id).comment_count == 4


def test_the_author_edits_with_optimistic_locking(make_photo):
    photo = make_photo()
    made = comment(photo, "first")

    services.comment_update(
        photo_id=photo.photo_id,
        created_key=made.created_key,
        actor=site_user("sub-bob", "Bob"),
        body="second",
        expected_version=made.version,
    )
    with pytest.raises(Conflict):
        services.comment_update(
            photo_id=photo.photo_id,
            created_key=made.created_key,
            actor=site_user("sub-bob", "Bob"),
            body="stale",
            expected_version=made.version,
        )

    stored = Comment.get(photo.photo_id, made.created_key)
    assert stored.body == "second"
    assert stored.edited_at is not None


def test_only_the_author_or_staff_change_a_comment(make_photo):
    photo = make_photo()
    made = comment(photo)

    with pytest.raises(Forbidden):
        services.comment_update(
            photo_id=photo.photo_id,
            created_key=made.created_key,
            actor=site_user("sub-alice", "Alice"),
            body="x",
            expected_version=1,
        )
    with pytest.raises(Forbidden):
        services.comment_delete(
            photo_id=photo.photo_id,
            created_key=made.created_key,
            actor=site_user("sub-alice", "Alice"),
        )
    services.comment_delete(
        photo_id=photo.photo_id,
        created_key=made.created_key,
        actor=site_user("sub-mod", "Mo", ("admins",)),
    )

    assert Photo.get(photo.photo_id).comment_count == 0
    assert selectors.comment_list_timeline(photo_id=photo.photo_id).items == []


def test_deleting_a_comment_twice_does_not_uncount_twice(make_photo):
    photo = make_photo()
    made = comment(photo)
    comment(photo, "stays")
    services.comment_delete(
        photo_id=photo.photo_id, created_key=made.created_key, actor=site_user("sub-bob", "Bob")
    )

    with pytest.raises(NotFound):
        services.comment_delete(
            photo_id=photo.photo_id, created_key=made.created_key, actor=site_user("sub-bob", "Bob")
        )

    assert Photo.get(photo.photo_id).comment_count == 1
