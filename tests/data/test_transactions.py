"""A comment and its photo's count change together, or not at all (TransactWriteItems)."""

from __future__ import annotations

import pytest
from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from gallery.models import Comment, Photo

from . import factories


def post_comment(comment: Comment, photo: Photo, *, photo_condition=None) -> None:
    """Put the comment (never over another) and ADD 1 to the photo's count, in one transaction."""
    with TransactWrite(connection=Connection(region=Photo.Meta.region, host=Photo.Meta.host)) as tx:
        tx.save(comment, condition=Comment.photo_id.does_not_exist())
        tx.update(
            photo,
            actions=[Photo.comment_count.add(1)],
            condition=photo_condition if photo_condition is not None else Photo.photo_id.exists(),
            add_version_condition=False,
        )


def stored_comments(photo_id: str) -> list[Comment]:
    return list(Comment.query(photo_id, consistent_read=True))


def stored_count(photo_id: str) -> int:
    return Photo.get(photo_id, consistent_read=True).comment_count


def test_a_committed_transaction_writes_the_comment_and_the_count(ddb_backend):
    photo = factories.photo()
    comment = factories.comment(photo.photo_id, body="第一条评论 first!")

    post_comment(comment, photo)

    [stored] = stored_comments(photo.photo_id)
    assert stored.body == "第一条评论 first!"
    assert stored_count(photo.photo_id) == 1


def test_a_failed_count_condition_rolls_back_the_comment_written_before_it(ddb_backend):
    photo = factories.photo()
    comment = factories.comment(photo.photo_id)

    with pytest.raises(TransactWriteError) as caught:
        # The photo was hidden meanwhile: the update's condition fails after the put was staged.
        post_comment(comment, photo, photo_condition=Photo.status == "hidden")

    assert caught.value.cause_response_code == "TransactionCanceledException"
    reasons = [reason.code if reason else None for reason in caught.value.cancellation_reasons]
    assert reasons == [None, "ConditionalCheckFailed"]
    assert stored_comments(photo.photo_id) == []
    assert stored_count(photo.photo_id) == 0


def test_a_comment_on_a_deleted_photo_writes_nothing(ddb_backend):
    photo = factories.photo()
    photo.delete()
    comment = factories.comment(photo.photo_id)

    with pytest.raises(TransactWriteError):
        post_comment(comment, photo)

    assert stored_comments(photo.photo_id) == []
    assert Photo.count(photo.photo_id) == 0


def test_a_duplicate_comment_does_not_count_twice(ddb_backend):
    photo = factories.photo()
    comment = factories.comment(photo.photo_id)
    post_comment(comment, photo)

    with pytest.raises(TransactWriteError) as caught:
        post_comment(comment, photo)

    reasons = [reason.code if reason else None for reason in caught.value.cancellation_reasons]
    assert reasons == ["ConditionalCheckFailed", None]
    assert len(stored_comments(photo.photo_id)) == 1
    assert stored_count(photo.photo_id) == 1
