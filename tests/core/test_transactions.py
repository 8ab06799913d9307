"""The shared PynamoDB write helpers, against the local DynamoDB emulator."""

from __future__ import annotations

import pytest
from pynamodb.exceptions import TransactWriteError, UpdateError

from core.transactions import Transaction, condition_failed, transaction_conflict
from gallery.models import Photo
from tests.data import factories


def test_an_unversioned_update_counts_without_bumping_the_version(aws_stack):
    photo = factories.photo()

    with Transaction.on(Photo) as transaction:
        transaction.update_unversioned(
            Photo, photo.photo_id, actions=[Photo.comment_count.add(2)], condition=None
        )

    stored = Photo.get(photo.photo_id, consistent_read=True)
    assert (stored.comment_count, stored.version) == (photo.comment_count + 2, photo.version)


def test_a_transaction_refused_by_its_condition_is_told_apart_from_a_conflict(aws_stack):
    photo = factories.photo()

    with pytest.raises(TransactWriteError) as caught, Transaction.on(Photo) as transaction:
        transaction.update_unversioned(
            Photo,
            photo.photo_id,
            actions=[Photo.comment_count.add(1)],
            condition=Photo.status == "hidden",
        )

    assert condition_failed(caught.value)
    assert not transaction_conflict(caught.value)
    assert Photo.get(photo.photo_id, consistent_read=True).comment_count == photo.comment_count


def test_a_single_write_refused_by_its_version_is_a_failed_condition(aws_stack):
    photo = factories.photo()
    stale = Photo.get(photo.photo_id, consistent_read=True)
    photo.update(actions=[Photo.caption.set("first")])

    with pytest.raises(UpdateError) as caught:
        stale.update(actions=[Photo.caption.set("second")])

    assert condition_failed(caught.value)


def test_a_write_that_never_reached_dynamodb_is_not_a_failed_condition(aws_down):
    with pytest.raises(UpdateError) as caught:
        Photo("p1").update(actions=[Photo.caption.set("x")], add_version_condition=False)

    assert not condition_failed(caught.value)
