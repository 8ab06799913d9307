"""AWS faults during uploads, reads and comments: a clear 503 or form error, nothing half-written.

Each test injects its fault below botocore's retry loop (tests/faults/inject.py), so what the
site does is what it would do against AWS: botocore retries, then the service cleans up, then
the user is told.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from gallery import selectors
from gallery.models import Comment, Photo
from gallery.services import DERIVATIVE_SIZES
from tests.gallery.conftest import jpeg, stored_counts

EMPTY = {"objects": 0, "photos": 0, "terms": 0, "comments": 0, "links": 0}
PHOTOS = "test-photos"
SEARCH_TERMS = "test-search-terms"
COMMENTS = "test-comments"


def api_upload(client, name="Harbour 港口"):
    return client.post(
        "/api/photos",
        {
            "file": SimpleUploadedFile("p.jpg", jpeg(320, 240), content_type="image/jpeg"),
            "name": name,
        },
    )


def web_upload(client, name="Harbour 港口"):
    return client.post(
        "/upload/",
        {
            "files": SimpleUploadedFile("p.jpg", jpeg(320, 240), content_type="image/jpeg"),
            "name": name,
        },
    )


def assert_unavailable_json(response):
    assert response.status_code == 503, response.content[:300]
    assert response.json()["code"] == "unavailable"
    assert response["Retry-After"].isdigit()


def assert_unavailable_page(response):
    assert response.status_code == 503, response.content[:300]
    assert b"temporarily unavailable" in response.content
    assert response["Retry-After"].isdigit()


# --- S3 -----------------------------------------------------------------------------------------


def test_s3_unreachable_while_storing_the_original_is_503_json_and_nothing_stays(
    alice_web, aws_stack, faults
):
    faults.fail("s3", "PUT", kind="connect")

    response = api_upload(alice_web)

    assert_unavailable_json(response)
    assert stored_counts(aws_stack.bucket) == EMPTY


def test_s3_failing_on_the_thumbnail_removes_the_original_already_written(
    alice_web, aws_stack, faults
):
    # The first PUT (the original) succeeds; every later one (the derivatives) is refused.
    original = faults.fail("s3", "PUT", kind="InternalError", status=500, times=None)
    passed = {"n": 0}
    real_matches = original.matches

    def after_the_first(service, operation, body):
        if service == "s3" and operation == "PUT" and passed["n"] == 0:
            passed["n"] += 1
            return False
        return real_matches(service, operation, body)

    original.matches = after_the_first

    response = web_upload(alice_web)

    assert_unavailable_page(response)
    assert original.hits >= 3  # botocore retried the 500 before giving up
    assert stored_counts(aws_stack.bucket) == EMPTY


def test_one_s3_hiccup_is_retried_and_the_upload_succeeds(alice_web, aws_stack, faults):
    faults.fail("s3", "PUT", kind="SlowDown", status=503, times=1)

    response = api_upload(alice_web)

    assert response.status_code == 201
    photo_id = response.json()["id"]
    assert stored_counts(aws_stack.bucket)["photos"] == 1
    assert selectors.photo_get_visible(photo_id=photo_id).status == "visible"


# --- DynamoDB -----------------------------------------------------------------------------------


def photo_write_throttled(faults, *, times: int | None = None):
    """Throttle the writes of a photo record (the server path publishes the photo with its
    retained address in one transaction)."""
    return faults.fail(
        "dynamodb",
        "PutItem",
        "TransactWriteItems",
        kind="ProvisionedThroughputExceededException",
        table=PHOTOS,
        times=times,
    )


def test_a_photo_table_that_keeps_throttling_leaves_no_objects_and_no_terms(
    alice_web, aws_stack, faults
):
    rule = photo_write_throttled(faults)

    response = api_upload(alice_web)

    assert_unavailable_json(response)
    assert rule.hits == 3  # AWS_MAX_ATTEMPTS: the first try and two retries
    assert stored_counts(aws_stack.bucket) == EMPTY


def test_one_throttled_photo_write_is_retried_and_succeeds(alice_web, aws_stack, faults):
    rule = photo_write_throttled(faults, times=1)

    response = api_upload(alice_web)

    assert rule.hits == 1
    assert response.status_code == 201
    counts = stored_counts(aws_stack.bucket)
    assert (counts["photos"], counts["objects"]) == (
        1,
        1 + len(DERIVATIVE_SIZES) + 1,
    )  # + the full size


def test_search_terms_unwritable_leaves_no_photo_pointing_at_nothing(alice_web, aws_stack, faults):
    faults.fail("dynamodb", "BatchWriteItem", kind="read", table=SEARCH_TERMS)

    response = web_upload(alice_web)

    assert_unavailable_page(response)
    counts = stored_counts(aws_stack.bucket)
    assert (counts["photos"], counts["objects"]) == (0, 0)


def test_the_gallery_timing_out_is_a_503_page(quiet_client, make_photo, faults):
    make_photo()
    faults.fail("dynamodb", "Query", kind="read", table=PHOTOS)

    assert_unavailable_page(quiet_client.get("/"))


def test_the_session_table_down_is_a_503_and_the_user_stays_signed_in(alice_web, faults):
    rule = faults.fail("dynamodb", kind="refused", table="test-sessions")

    down = alice_web.get("/mine/")
    rule.times = rule.hits  # the table is back
    back = alice_web.get("/mine/")

    assert_unavailable_page(down)
    assert "sessionid" not in down.cookies  # neither replaced nor deleted
    assert back.status_code == 200


def test_the_api_list_throttled_is_503_json(alice_web, make_photo, faults):
    make_photo()
    faults.fail("dynamodb", "Query", kind="ThrottlingException", table=PHOTOS)

    assert_unavailable_json(alice_web.get("/api/photos"))


def test_a_comment_whose_transaction_is_throttled_is_not_stored_and_not_counted(
    alice_web, make_photo, faults
):
    photo = make_photo()
    faults.fail("dynamodb", "TransactWriteItems", kind="ProvisionedThroughputExceededException")

    response = alice_web.post(
        f"/api/photos/{photo.photo_id}/comments", {"body": "你好"}, content_type="application/json"
    )

    assert_unavailable_json(response)
    assert Photo.get(photo.photo_id).comment_count == 0
    assert list(Comment.query(photo.photo_id)) == []


def test_a_comment_retried_after_one_throttle_is_stored_once_and_counted_once(
    alice_web, make_photo, faults
):
    photo = make_photo()
    faults.fail(
        "dynamodb", "TransactWriteItems", kind="ProvisionedThroughputExceededException", times=1
    )

    response = alice_web.post(
        f"/api/photos/{photo.photo_id}/comments", {"body": "你好"}, content_type="application/json"
    )

    assert response.status_code == 201
    assert Photo.get(photo.photo_id).comment_count == 1
    assert [c.body for c in Comment.query(photo.photo_id)] == ["你好"]


def test_a_stale_version_is_a_409_conflict_and_the_newer_edit_stays(alice_web, make_photo):
    photo = make_photo(name="First")
    url = f"/api/photos/{photo.photo_id}"
    fresh = alice_web.patch(
        url, {"name": "Second", "version": photo.version}, content_type="application/json"
    )
    stale = alice_web.patch(
        url, {"name": "Third", "version": photo.version}, content_type="application/json"
    )

    assert fresh.status_code == 200
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    assert Photo.get(photo.photo_id).name == "Second"


def test_a_bug_is_still_a_500_not_disguised_as_an_outage(quiet_client, monkeypatch):
    def broken(**_kwargs):
        raise KeyError("a programming error")

    monkeypatch.setattr(selectors, "photo_card_list_feed", broken)

    response = quiet_client.get("/")

    assert response.status_code == 500
    assert b"Something went wrong" in response.content
