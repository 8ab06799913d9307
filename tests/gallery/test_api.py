"""The JSON API: the whole journey, and every error as `{code, message}` with its status."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gallery.models import Photo
from gallery.services import moderation
from tests.accounts.users import sign_in, site_user

from .conftest import NOT_AN_IMAGE, SVG, jpeg, png_bomb, stored_counts

EMPTY = {"objects": 0, "photos": 0, "terms": 0, "comments": 0, "links": 0}


def post_photo(client, data: bytes, *, name="API photo", filename="p.jpg", caption=""):
    return client.post(
        "/api/photos",
        {
            "file": SimpleUploadedFile(filename, data, content_type="image/jpeg"),
            "name": name,
            "caption": caption,
        },
    )


def test_the_openapi_schema_is_published(client):
    schema = client.get("/api/openapi.json").json()

    assert {
        "/api/photos",
        "/api/photos/{photo_id}",
        "/api/photos/{photo_id}/comments",
        "/api/photos/{photo_id}/share",
    } <= set(schema["paths"])


def test_without_credentials_every_endpoint_is_401_json(client, aws_stack):
    for method, path in [
        ("get", "/api/photos"),
        ("post", "/api/photos"),
        ("get", "/api/photos/x"),
        ("post", "/api/photos/x/share"),
    ]:
        response = getattr(client, method)(path)
        assert response.status_code == 401
        assert response.json()["code"] == "missing_token"


def test_the_whole_journey(alice_client, bob, aws_stack):
    created = post_photo(
        alice_client,
        jpeg(),
        name="Sunset 日落",
        caption="API",
    ).json()
    photo_id = created["id"]
    assert created["uploader_ip"] == "127.0.0.1"
    assert created["s3_key"] == f"photos/{photo_id}/original.jpg"
    assert "X-Amz-Signature" in created["url"]

    listed = alice_client.get("/api/photos").json()
    assert [p["id"] for p in listed["items"]] == [photo_id]
    assert alice_client.get("/api/photos", {"q": "日落"}).json()["items"][0]["id"] == photo_id
    assert alice_client.get("/api/photos", {"q": "moon"}).json()["items"] == []
    in_range = alice_client.get(
        "/api/photos", {"from": "2000-01-01T00:00:00Z", "to": "2100-01-01T00:00:00"}
    ).json()
    assert len(in_range["items"]) == 1

    patched = alice_client.patch(
        f"/api/photos/{photo_id}",
        {"name": "Moonrise", "version": created["version"]},
        content_type="application/json",
    )
    assert patched.status_code == 200
    assert (patched.json()["name"], patched.json()["caption"]) == ("Moonrise", "API")

    bobs = Client()
    sign_in(bobs, bob)
    comment = bobs.post(
        f"/api/photos/{photo_id}/comments", {"body": "好看"}, content_type="application/json"
    )
    assert comment.status_code == 201
    comments = alice_client.get(f"/api/photos/{photo_id}/comments").json()
    assert [c["body"] for c in comments["items"]] == ["好看"]
    assert alice_client.get(f"/api/photos/{photo_id}").json()["comment_count"] == 1

    share = alice_client.post(
        f"/api/photos/{photo_id}/share", {"expires_in": 300}, content_type="application/json"
    )
    assert share.status_code == 201
    assert Client().get(share.json()["direct_url"]).status_code == 302
    assert Client().get(share.json()["url"]).status_code == 200

    assert alice_client.delete(f"/api/photos/{photo_id}").status_code == 204
    assert alice_client.get(f"/api/photos/{photo_id}").status_code == 404


@pytest.mark.parametrize(
    ("data", "filename", "status", "code"),
    [
        (NOT_AN_IMAGE, "holiday.jpg", 415, "not_an_image"),
        (jpeg()[:3000], "cut.jpg", 400, "truncated"),
        (png_bomb(), "bomb.png", 413, "too_many_pixels"),
        (b"", "empty.jpg", 400, "empty"),
        (SVG, "x.svg", 415, "not_an_image"),
    ],
    ids=["non-image named .jpg", "truncated JPEG", "decompression bomb", "0 bytes", "SVG"],
)
def test_bad_uploads_are_json_errors_and_write_nothing(
    alice_client, aws_stack, data, filename, status, code
):
    response = post_photo(alice_client, data, filename=filename)

    assert response.status_code == status
    assert response.json()["code"] == code
    assert response.json()["message"]
    assert stored_counts(aws_stack.bucket) == EMPTY


def test_an_oversize_upload_is_413(alice_client, aws_stack, settings):
    settings.PHOTOSITE_MAX_UPLOAD_BYTES = 5_000

    response = post_photo(alice_client, jpeg())

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert stored_counts(aws_stack.bucket) == EMPTY


def test_a_stale_patch_is_409(alice_client, make_photo):
    photo = make_photo()
    url = f"/api/photos/{photo.photo_id}"
    alice_client.patch(
        url, {"name": "one", "version": photo.version}, content_type="application/json"
    )

    response = alice_client.patch(
        url, {"name": "two", "version": photo.version}, content_type="application/json"
    )

    assert response.status_code == 409
    assert response.json() == {
        "code": "conflict",
        "message": "This photo was changed meanwhile; reload the page and try again.",
    }
    assert Photo.get(photo.photo_id).name == "one"


def test_someone_elses_photo_is_403_to_patch_and_delete(client, bob, make_photo):
    photo = make_photo()
    sign_in(client, bob)
    url = f"/api/photos/{photo.photo_id}"

    patched = client.patch(
        url, {"name": "x", "version": photo.version}, content_type="application/json"
    )
    deleted = client.delete(url)

    assert (patched.status_code, deleted.status_code) == (403, 403)
    assert patched.json()["code"] == "forbidden"
    assert Photo.get(photo.photo_id).name == photo.name


@pytest.mark.parametrize(
    ("params", "status"),
    [({"from": "not a date"}, 422), ({"cursor": "forged"}, 400), ({"q": "!!!"}, 400)],
)
def test_bad_list_parameters_are_client_errors(alice_client, aws_stack, params, status):
    response = alice_client.get("/api/photos", params)

    assert response.status_code == status
    assert response.json()["code"] in {"invalid_request", "bad_cursor", "bad_query"}


@pytest.mark.parametrize("expires_in", [0, 30, 604801])
def test_share_lifetimes_outside_the_range_are_400(alice_client, make_photo, expires_in):
    photo = make_photo()

    response = alice_client.post(
        f"/api/photos/{photo.photo_id}/share",
        {"expires_in": expires_in},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "bad_expiry"


def test_comment_errors_are_json(alice_client, make_photo, settings):
    settings.PHOTOSITE_COMMENT_RATE_LIMIT = 1
    photo = make_photo()
    url = f"/api/photos/{photo.photo_id}/comments"

    empty = alice_client.post(url, {"body": "  "}, content_type="application/json")
    missing = alice_client.post(
        "/api/photos/nope/comments", {"body": "x"}, content_type="application/json"
    )
    flood = alice_client.post(url, {"body": "two"}, content_type="application/json")

    assert (empty.status_code, empty.json()["code"]) == (400, "comment_empty")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    # The refused attempt on a missing photo still counted towards the limit of one.
    assert (flood.status_code, flood.json()["code"]) == (429, "rate_limited")
    assert Photo.get(photo.photo_id).comment_count == 0


def test_a_hidden_photo_stays_readable_to_its_owner_and_moderators_and_404_to_others(
    client, bob, moderator, make_photo
):
    photo = make_photo()
    hidden = moderation.photo_hide(photo_id=photo.photo_id)
    url = f"/api/photos/{photo.photo_id}"

    sign_in(client, site_user("sub-alice", "Alice", ("members",)))
    owners = client.get(url)
    sign_in(client, moderator)
    moderators = client.get(url)
    sign_in(client, bob)
    strangers = client.get(url)

    assert owners.status_code == 200
    assert owners.json()["hidden"] is True
    assert owners.json()["version"] == hidden.version
    assert moderators.status_code == 200
    assert strangers.status_code == 404
    assert strangers.json()["code"] == "not_found"
