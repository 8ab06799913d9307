"""What the gallery stores in S3 tells browsers how long they may keep it."""

import pytest

from core import aws

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
