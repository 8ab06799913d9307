"""What one user may cost the site: uploads per window and bytes stored. Past either, the API
answers a JSON 429 or 413 and the upload page a form error, and nothing is stored."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.gallery.conftest import jpeg, stored_counts

PHOTO = jpeg(64, 48)


def as_file(data: bytes = PHOTO) -> SimpleUploadedFile:
    return SimpleUploadedFile("p.jpg", data, content_type="image/jpeg")


def api_upload(client):
    return client.post("/api/photos", {"file": as_file(), "name": "limited"})


def page_upload(client):
    return client.post("/upload/", {"files": as_file(), "name": "limited"})


# --- rate limit ---------------------------------------------------------------------------------


def test_past_the_upload_rate_limit_the_api_answers_a_429_json(alice_client, aws_stack, settings):
    settings.PHOTOSITE_UPLOAD_RATE_LIMIT = 2

    answers = [api_upload(alice_client) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [201, 201, 429]
    body = answers[-1].json()
    assert body["code"] == "rate_limited" and "too often" in body["message"]
    assert stored_counts(aws_stack.bucket)["photos"] == 2


def test_past_the_upload_rate_limit_the_page_shows_it_on_the_form(
    alice_client, aws_stack, settings
):
    settings.PHOTOSITE_UPLOAD_RATE_LIMIT = 1
    page_upload(alice_client)

    refused = page_upload(alice_client)

    assert refused.status_code == 429
    assert "too often" in refused.context["form"].errors["files"][0]


def test_the_upload_rate_limit_is_per_user(alice_client, bob_client, aws_stack, settings):
    settings.PHOTOSITE_UPLOAD_RATE_LIMIT = 1
    api_upload(alice_client)

    assert api_upload(bob_client).status_code == 201


# --- storage quota ------------------------------------------------------------------------------


def test_past_the_storage_quota_the_api_answers_a_413_json_and_stores_nothing(
    alice_client, aws_stack, settings
):
    settings.PHOTOSITE_STORAGE_QUOTA_BYTES = len(PHOTO) + 10
    assert api_upload(alice_client).status_code == 201
    before = stored_counts(aws_stack.bucket)

    refused = api_upload(alice_client)

    assert refused.status_code == 413
    assert refused.json()["code"] == "quota_exceeded"
    assert "delete some to upload more" in refused.json()["message"]
    assert stored_counts(aws_stack.bucket) == before


def test_past_the_storage_quota_the_page_shows_it_on_the_form(alice_client, aws_stack, settings):
    settings.PHOTOSITE_STORAGE_QUOTA_BYTES = len(PHOTO) + 10
    page_upload(alice_client)

    refused = page_upload(alice_client)

    assert refused.status_code == 413
    assert "storage" in refused.context["form"].errors["files"][0]


def test_deleting_a_photo_gives_its_bytes_back(alice_client, aws_stack, settings):
    settings.PHOTOSITE_STORAGE_QUOTA_BYTES = len(PHOTO) + 10
    first = api_upload(alice_client).json()

    assert alice_client.delete(f"/api/photos/{first['id']}").status_code == 204
    assert api_upload(alice_client).status_code == 201


def test_a_rejected_image_costs_no_quota(alice_client, aws_stack, settings):
    settings.PHOTOSITE_STORAGE_QUOTA_BYTES = len(PHOTO) + 10
    bad = alice_client.post("/api/photos", {"file": as_file(PHOTO[:200]), "name": "cut"})
    assert bad.status_code == 400

    assert api_upload(alice_client).status_code == 201


@pytest.mark.parametrize("quota", [0, -1])
def test_a_quota_of_zero_means_none(alice_client, aws_stack, settings, quota):
    settings.PHOTOSITE_STORAGE_QUOTA_BYTES = quota

    assert api_upload(alice_client).status_code == 201
