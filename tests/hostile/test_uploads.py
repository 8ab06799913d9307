"""Hostile uploads through the API and the upload page: each gets its defined answer.

Rejected files leave nothing in S3 or DynamoDB; accepted ones are judged by decoding, stored with
the decoded type, and shown only through re-encoded derivatives.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core import aws
from gallery.models import Photo
from tests.gallery.conftest import stored_counts
from tests.hostile.corpus import HostileUpload, hostile_uploads, jpeg_with_html_appended

EMPTY = {"objects": 0, "photos": 0, "terms": 0, "comments": 0, "links": 0}
CORPUS = hostile_uploads()
REJECTED = [u for u in CORPUS if u.code is not None]
ACCEPTED = [u for u in CORPUS if u.code is None]


def as_file(upload: HostileUpload) -> SimpleUploadedFile:
    return SimpleUploadedFile(upload.filename, upload.data, content_type=upload.content_type)


@pytest.mark.parametrize("upload", REJECTED, ids=lambda u: u.label)
def test_the_api_refuses_with_its_code_and_stores_nothing(alice_client, aws_stack, upload):
    response = alice_client.post("/api/photos", {"file": as_file(upload), "name": "hostile"})

    assert (response.status_code, response.json()["code"]) == (upload.status, upload.code)
    assert response.json()["message"]
    assert stored_counts(aws_stack.bucket) == EMPTY


@pytest.mark.parametrize("upload", REJECTED, ids=lambda u: u.label)
def test_the_upload_page_shows_the_same_refusal_as_a_form_error(alice_client, aws_stack, upload):
    response = alice_client.post("/upload/", {"files": as_file(upload), "name": "hostile"})

    assert response.status_code == upload.status
    errors = response.context["form"].errors["files"]
    # Django's form field refuses an empty file itself, before the image checks run.
    expected = "The submitted file is empty." if upload.code == "empty" else f"{upload.filename}: "
    assert errors and errors[0].startswith(expected)
    assert stored_counts(aws_stack.bucket) == EMPTY


# The EXIF bomb makes Pillow warn while it skips the broken tags: that is the point of it.
@pytest.mark.filterwarnings("ignore:Tag data larger than file:UserWarning")
@pytest.mark.parametrize("upload", ACCEPTED, ids=lambda u: u.label)
def test_an_image_in_disguise_is_accepted_as_what_it_decodes_to(alice_client, aws_stack, upload):
    response = alice_client.post("/api/photos", {"file": as_file(upload), "name": "disguised"})

    assert response.status_code == 201, response.content[:200]
    created = response.json()
    assert created["content_type"] in {"image/jpeg", "image/png"}
    assert created["s3_key"].endswith(
        {"image/jpeg": ".jpg", "image/png": ".png"}[created["content_type"]]
    )


def test_a_polyglot_is_stored_as_an_image_and_shown_only_re_encoded(alice_client, aws_stack):
    upload = HostileUpload("poly", jpeg_with_html_appended(), "poly.html", "text/html", 201, None)

    created = alice_client.post("/api/photos", {"file": as_file(upload), "name": "poly"}).json()

    s3 = aws.client("s3")
    photo = Photo.get(created["id"])
    original = s3.head_object(Bucket=aws_stack.bucket, Key=photo.original_key)
    assert original["ContentType"] == "image/jpeg"  # never served as HTML
    for key in (photo.grid_key, photo.display_key):
        body = s3.get_object(Bucket=aws_stack.bucket, Key=key)["Body"].read()
        assert body.startswith(b"\xff\xd8") and b"<script" not in body
