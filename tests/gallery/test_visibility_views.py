"""Visibility on the pages and in the API: chosen at upload (form, script, API), changed on the
photo page and with PATCH, defaulted in Settings; who gets the page, the file and 404."""

from __future__ import annotations

import json

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gallery import services
from gallery.models import VISIBILITY_PRIVATE, VISIBILITY_UNLISTED, Photo
from tests.accounts.users import sign_in, tokens_in_session

from .conftest import jpeg


def stored(photo_id: str) -> Photo:
    return Photo.get(photo_id, consistent_read=True)


@pytest.fixture
def bob_client(bob):
    client = Client()
    sign_in(client, bob)
    return client


@pytest.fixture
def moderator_client(moderator):
    client = Client()
    sign_in(client, moderator)
    return client


def detail(photo) -> str:
    return reverse("gallery:photo_detail", args=[photo.photo_id])


# --- upload -----------------------------------------------------------------------------------


def test_the_upload_form_offers_the_choice_with_the_owners_default_selected(alice_client):
    services.visibility_default_set(
        owner_sub="sub-alice", owner_name="Alice", visibility=VISIBILITY_UNLISTED
    )

    html = alice_client.get(reverse("gallery:upload")).content.decode()

    assert 'name="visibility"' in html
    assert '<option value="unlisted" selected>' in html


def test_the_form_without_javascript_uploads_with_the_chosen_visibility(alice_client):
    response = alice_client.post(
        reverse("gallery:upload"),
        {
            "files": SimpleUploadedFile("a.jpg", jpeg(), "image/jpeg"),
            "name": "Form upload",
            "visibility": "private",
        },
    )

    assert response.status_code == 302
    photo_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert stored(photo_id).visibility == VISIBILITY_PRIVATE


def test_a_bad_visibility_on_the_form_is_a_400_and_nothing_is_stored(alice_client):
    response = alice_client.post(
        reverse("gallery:upload"),
        {
            "files": SimpleUploadedFile("a.jpg", jpeg(), "image/jpeg"),
            "name": "Form upload",
            "visibility": "everyone",
        },
    )

    assert response.status_code == 400
    assert sum(1 for _ in Photo.scan()) == 0


def test_the_scripts_direct_upload_sends_the_visibility(alice_client):
    browser = tokens_in_session(alice_client, "alice")
    data = jpeg()

    ticket = browser.post(
        reverse("gallery:upload_presign"),
        json.dumps(
            {
                "name": "Direct",
                "content_type": "image/jpeg",
                "size": len(data),
                "visibility": "unlisted",
            }
        ),
        content_type="application/json",
    ).json()
    requests.post(
        ticket["url"],
        data=ticket["fields"],
        files={"file": ("d.jpg", data, "image/jpeg")},
        timeout=10,
    )
    done = browser.post(ticket["complete_url"])

    assert done.status_code == 200
    assert stored(ticket["photo_id"]).visibility == VISIBILITY_UNLISTED


def test_a_bad_visibility_on_the_direct_path_is_a_400(alice_client):
    browser = tokens_in_session(alice_client, "alice")

    response = browser.post(
        reverse("gallery:upload_presign"),
        json.dumps({"name": "D", "content_type": "image/jpeg", "size": 10, "visibility": "x"}),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "bad_visibility"


# --- who gets the page, the file, 404 ---------------------------------------------------------


@pytest.mark.parametrize(
    ("chosen", "stranger_status"), [("public", 200), ("unlisted", 200), ("private", 404)]
)
def test_the_photo_page_follows_the_visibility(
    make_photo, alice_client, bob_client, moderator_client, chosen, stranger_status
):
    photo = make_photo("Seen", visibility=chosen)

    assert Client().get(detail(photo)).status_code == stranger_status
    assert bob_client.get(detail(photo)).status_code == stranger_status
    assert alice_client.get(detail(photo)).status_code == 200
    assert moderator_client.get(detail(photo)).status_code == 200
    assert bob_client.get(f"/api/photos/{photo.photo_id}").status_code == stranger_status
    assert bob_client.get(f"/api/photos/{photo.photo_id}/comments").status_code == stranger_status


def test_a_stranger_cannot_comment_on_a_private_photo_through_the_page(make_photo, bob_client):
    photo = make_photo("Private", visibility="private")

    response = bob_client.post(
        reverse("gallery:comment_create", args=[photo.photo_id]), {"body": "hello"}
    )

    assert response.status_code == 404
    assert stored(photo.photo_id).comment_count == 0


def test_the_gallery_and_search_show_only_public_photos(make_photo):
    client = Client()
    shown = make_photo("Lantern public")
    make_photo("Lantern unlisted", visibility="unlisted")
    make_photo("Lantern private", visibility="private")

    gallery = client.get(reverse("gallery:photo_list")).content.decode()
    search = client.get(reverse("gallery:photo_search") + "?q=lantern").content.decode()

    for html in (gallery, search):
        assert html.count('<li class="card') == 1
        assert shown.photo_id in html


def test_my_photos_badges_unlisted_and_private_photos(make_photo, alice_client):
    make_photo("Open")
    make_photo("By address", visibility="unlisted")
    make_photo("Only me", visibility="private")

    html = alice_client.get(reverse("gallery:photo_mine")).content.decode()

    assert html.count('<li class="card') == 3
    assert html.count('class="badge badge-unlisted"') == 1
    assert html.count('class="badge badge-private"') == 1


# --- changed on the photo page ----------------------------------------------------------------


def test_the_owner_sees_the_visibility_form_and_others_do_not(make_photo, alice_client, bob_client):
    photo = make_photo("Form")

    url = reverse("gallery:photo_visibility", args=[photo.photo_id])
    assert f'action="{url}"' in alice_client.get(detail(photo)).content.decode()
    assert reverse("gallery:photo_visibility", args=[photo.photo_id]) not in (
        bob_client.get(detail(photo)).content.decode()
    )


def test_the_owner_changes_visibility_on_the_photo_page(make_photo, alice_client):
    photo = make_photo("Change me")
    url = reverse("gallery:photo_visibility", args=[photo.photo_id])

    response = alice_client.post(url, {"visibility": "private"}, follow=True)
    again = alice_client.post(url, {"visibility": "private"})

    assert response.status_code == 200
    assert again.status_code == 302  # a double click changes nothing more
    assert stored(photo.photo_id).visibility == VISIBILITY_PRIVATE
    assert Client().get(detail(photo)).status_code == 404
    # A private photo's page offers no share form, and says why.
    assert reverse("gallery:share_create", args=[photo.photo_id]) not in (response.content.decode())


def test_another_user_cannot_change_visibility(make_photo, bob_client, moderator_client):
    photo = make_photo("Not yours")
    url = reverse("gallery:photo_visibility", args=[photo.photo_id])

    assert bob_client.post(url, {"visibility": "private"}).status_code == 403
    assert moderator_client.post(url, {"visibility": "private"}).status_code == 403
    assert stored(photo.photo_id).visibility == "public"


def test_a_bad_or_missing_choice_is_refused_without_a_write(make_photo, alice_client):
    photo = make_photo("Kept")
    url = reverse("gallery:photo_visibility", args=[photo.photo_id])

    response = alice_client.post(url, {"visibility": "friends"}, follow=True)

    assert response.status_code == 200
    assert "Choose public, unlisted or private." in response.content.decode()
    assert stored(photo.photo_id).version == photo.version
    assert (
        alice_client.post(
            reverse("gallery:photo_visibility", args=["missing"]), {"visibility": "public"}
        ).status_code
        == 404
    )


# --- settings ---------------------------------------------------------------------------------


def test_settings_show_and_save_the_default(alice_client):
    url = reverse("gallery:settings")

    assert '<option value="public" selected>' in alice_client.get(url).content.decode()
    saved = alice_client.post(url, {"visibility": "private"})
    assert saved.status_code == 302
    assert '<option value="private" selected>' in alice_client.get(url).content.decode()
    assert alice_client.post(url, {"visibility": "nope"}).status_code == 400
    assert services.visibility_default(owner_sub="sub-alice") == VISIBILITY_PRIVATE


def test_settings_ask_to_sign_in(client, aws_stack):
    assert client.get(reverse("gallery:settings")).status_code == 302


# --- API --------------------------------------------------------------------------------------


def test_the_api_creates_reads_and_patches_visibility(alice_client, bob_client):
    created = alice_client.post(
        "/api/photos",
        {
            "file": SimpleUploadedFile("p.jpg", jpeg(), "image/jpeg"),
            "name": "API",
            "visibility": "unlisted",
        },
    )
    assert created.status_code == 201
    body = created.json()
    assert body["visibility"] == "unlisted"

    patched = alice_client.patch(
        f"/api/photos/{body['id']}",
        {"visibility": "private", "version": body["version"]},
        content_type="application/json",
    )
    assert patched.status_code == 200
    assert patched.json()["visibility"] == "private"
    assert alice_client.get(f"/api/photos/{body['id']}").json()["visibility"] == "private"
    assert bob_client.get(f"/api/photos/{body['id']}").status_code == 404
    stale = alice_client.patch(
        f"/api/photos/{body['id']}",
        {"visibility": "public", "version": body["version"]},
        content_type="application/json",
    )
    assert stale.status_code == 409
    refused = bob_client.patch(
        f"/api/photos/{body['id']}",
        {"visibility": "public", "version": patched.json()["version"]},
        content_type="application/json",
    )
    assert refused.status_code == 404
    assert stored(body["id"]).visibility == VISIBILITY_PRIVATE


def test_the_api_renames_and_changes_visibility_in_one_request(alice_client, make_photo):
    photo = make_photo("Before")

    answer = alice_client.patch(
        f"/api/photos/{photo.photo_id}",
        {"name": "After", "visibility": "unlisted", "version": photo.version},
        content_type="application/json",
    ).json()

    assert (answer["name"], answer["visibility"]) == ("After", "unlisted")


def test_the_api_refuses_an_unknown_visibility(alice_client, make_photo):
    photo = make_photo("Checked")

    patched = alice_client.patch(
        f"/api/photos/{photo.photo_id}",
        {"visibility": "friends", "version": photo.version},
        content_type="application/json",
    )
    upload = alice_client.post(
        "/api/uploads",
        {"name": "x", "content_type": "image/jpeg", "size": 10, "visibility": "friends"},
        content_type="application/json",
    )

    assert patched.status_code == upload.status_code == 422
    assert stored(photo.photo_id).version == photo.version


def test_a_direct_api_upload_takes_its_visibility(alice_client):
    data = jpeg()
    ticket = alice_client.post(
        "/api/uploads",
        {"name": "x", "content_type": "image/jpeg", "size": len(data), "visibility": "private"},
        content_type="application/json",
    ).json()
    requests.post(
        ticket["url"],
        data=ticket["fields"],
        files={"file": ("d.jpg", data, "image/jpeg")},
        timeout=10,
    )

    done = alice_client.post(ticket["complete_url"])

    assert done.status_code == 200
    assert done.json()["visibility"] == "private"


def test_the_openapi_schema_states_the_visibility(client):
    schema = client.get("/api/openapi.json").json()
    components = schema["components"]["schemas"]

    assert components["PhotoOut"]["properties"]["visibility"]["enum"] == [
        "public",
        "unlisted",
        "private",
    ]
    assert "visibility" in components["PhotoPatch"]["properties"]
    assert "visibility" in components["UploadIn"]["properties"]
    form = schema["paths"]["/api/photos"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert "visibility" in form["schema"]["properties"]
