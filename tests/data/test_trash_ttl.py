"""The trash's purge on Amazon DynamoDB Local: the TTL that deletes a trashed photo and its
comments is where DynamoDB looks for it — the table's TTL attribute, a Number of epoch
seconds at the purge time — and restoring takes it off the comments again.

Watching the sweep itself is not possible here: DynamoDB Local 3.3.1's sweeper stops at an
expired item that is absent from a sparse GSI (tests/data/test_ttl.py pins that defect), and a
trashed photo is absent from `feed`, `by_owner` and `hidden` by design. AWS deletes such
items. The moto suite (tests/gallery/test_trash.py) shows readers treat a photo past its purge
time as gone before the TTL deletes it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings

from core import aws
from gallery import services
from gallery.models import Comment, Photo
from tests.accounts.users import site_user
from tests.gallery.conftest import png

from .backends import DYNAMODB_LOCAL
from .conftest import fresh_tables

ALICE = site_user("sub-alice", "Alice", ("members",))


def _raw(model, **key) -> dict:
    answer = aws.client("dynamodb").get_item(
        TableName=model.Meta.table_name,
        Key={name: {"S": value} for name, value in key.items()},
        ConsistentRead=True,
    )
    return answer["Item"]


def _ttl_attribute(model) -> str | None:
    answer = aws.client("dynamodb").describe_time_to_live(TableName=model.Meta.table_name)
    description = answer["TimeToLiveDescription"]
    enabled = description["TimeToLiveStatus"] == "ENABLED"
    return description.get("AttributeName") if enabled else None


@pytest.mark.dynamodb_local
def test_a_trashed_photo_and_its_comments_carry_the_purge_time_where_the_ttl_reads_it(
    request, backend_switch, aws_stack
):
    fresh_tables(backend_switch.use(DYNAMODB_LOCAL, request))
    now = datetime.now(UTC).replace(microsecond=0)
    photo = services.photo_create(
        owner_sub="sub-alice", owner_name="Alice", name="Pier", data=png(16, 12), uploader_ip=""
    )
    comment = services.comment_create(
        photo_id=photo.photo_id, author_sub="sub-bob", author_name="Bob", body="hi", ip=""
    )

    services.photo_trash(photo_id=photo.photo_id, actor=ALICE, now=now)

    purge = int((now + timedelta(days=settings.PHOTOSITE_TRASH_DAYS)).timestamp())
    assert _ttl_attribute(Photo) == _ttl_attribute(Comment) == "expires_at"
    assert _raw(Photo, photo_id=photo.photo_id)["expires_at"] == {"N": str(purge)}
    stamped = _raw(Comment, photo_id=photo.photo_id, created_key=comment.created_key)
    assert stamped["expires_at"] == {"N": str(purge)}

    services.photo_restore(photo_id=photo.photo_id, actor=ALICE, now=now)

    assert "expires_at" not in _raw(Photo, photo_id=photo.photo_id)
    restored = _raw(Comment, photo_id=photo.photo_id, created_key=comment.created_key)
    assert "expires_at" not in restored
    assert restored["version"] == stamped["version"]  # the TTL's writes leave versions alone
