"""What the gallery stores in S3 tells browsers how long they may keep it."""

import pytest

from core import aws
from gallery import storage

from .conftest import bucket_keys

pytestmark = pytest.mark.aws


def test_every_stored_object_is_private_immutable_and_cached_as_long_as_its_url(
    make_photo, settings
):
    make_photo()
    keys = bucket_keys(settings.AWS_STORAGE_BUCKET_NAME)
    assert {key.rsplit("/", 1)[1] for key in keys} == {
        "original.jpg",
        "grid.jpg",
        "display.jpg",
        "full.jpg",
    }
    for key in keys:
        head = aws.client("s3").head_object(Bucket=settings.AWS_STORAGE_BUCKET_NAME, Key=key)
        assert head["CacheControl"] == (
            f"private, max-age={settings.PHOTOSITE_URL_EXPIRY}, immutable"
        ), key


def test_a_put_never_replaces_an_object_and_leaves_the_first_one_whole(aws_stack, settings):
    storage.object_put("u/1/photo/original.jpg", b"first", content_type="image/jpeg")

    with pytest.raises(RuntimeError, match="already existed"):
        storage.object_put("u/1/photo/original.jpg", b"second", content_type="image/jpeg")

    body = aws.client("s3").get_object(
        Bucket=settings.AWS_STORAGE_BUCKET_NAME, Key="u/1/photo/original.jpg"
    )["Body"]
    assert body.read() == b"first"


def test_a_put_is_one_request(aws_stack):
    sent: list[str] = []

    def record(request, **_kwargs):
        sent.append(request.method)

    client = aws.client("s3")
    client.meta.events.register("before-send.s3", record)
    try:
        storage.object_put("u/1/photo/grid.jpg", b"bytes", content_type="image/jpeg")
    finally:
        client.meta.events.unregister("before-send.s3", record)
    assert sent == ["PUT"]


def test_a_put_retried_after_its_answer_was_lost_succeeds(aws_stack, settings):
    """S3 stored the first attempt, its answer never arrived, botocore sent the put again: the
    retry meets the object's own bytes, and the put succeeds."""
    retried: list[bool] = []

    def lose_the_first_answer(response, attempts, **_kwargs):
        if attempts == 1 and not retried:
            retried.append(True)
            return 0  # retry at once, as after a timeout
        return None

    client = aws.client("s3")
    client.meta.events.register("needs-retry.s3.PutObject", lose_the_first_answer)
    try:
        key = storage.object_put("u/1/photo/full.jpg", b"the photo", content_type="image/jpeg")
    finally:
        client.meta.events.unregister("needs-retry.s3.PutObject", lose_the_first_answer)

    assert retried and key == "u/1/photo/full.jpg"
    body = client.get_object(Bucket=settings.AWS_STORAGE_BUCKET_NAME, Key=key)["Body"]
    assert body.read() == b"the photo"
