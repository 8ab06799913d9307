"""The API of share links per recipient (gallery.api): make a link to a photo or a selection
with every term, list links with status and open count, read one and its open log, revoke,
and remove ended ones; everything in the OpenAPI schema."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gallery import services
from gallery.models import ShareLink
from gallery.services import albums
from tests.accounts.users import sign_in, site_user

ALICE = site_user("sub-alice", "Alice", ("members",))


@pytest.fixture
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(sub: str) -> Client:
    return sign_in(Client(), site_user(sub, sub[4:].title(), ("members",)))


def post(client: Client, path: str, body: dict):
    return client.post(path, body, content_type="application/json")


def test_the_schema_publishes_every_share_link_route_and_term(client):
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]

    assert {"get", "post"} <= set(paths["/api/share-links"])
    assert {"get", "delete"} <= set(paths["/api/share-links/{token}"])
    assert {"get"} <= set(paths["/api/share-links/{token}/opens"])
    assert {"post"} <= set(paths["/api/share-links/{token}/remove"])
    terms = schema["components"]["schemas"]["ShareCreateIn"]["properties"]
    assert {"photo_id", "photo_ids", "album_id", "expires_in", "label", "password"} <= set(terms)
    assert {"view_limit", "allow_download"} <= set(terms)
    listed = schema["components"]["schemas"]["ShareLinkOut"]["properties"]
    assert {"status", "views", "last_opened_at", "label", "has_password"} <= set(listed)


def test_a_selection_with_every_term_is_made_and_described(make_photo, fast_hasher):
    photos = [make_photo(name) for name in ("One", "Two")]
    ids = [photo.photo_id for photo in photos]

    made = post(
        client_for("sub-alice"),
        "/api/share-links",
        {
            "photo_ids": ids,
            "expires_in": None,
            "label": "for Grandma",
            "password": "granny-smith-42",
            "view_limit": 2,
            "allow_download": False,
        },
    )

    assert made.status_code == 201, made.content
    body = made.json()
    assert body["url"] == f"http://testserver/s/{body['token']}"
    assert {key: body[key] for key in ("target", "photo_ids", "label", "expires_at")} == {
        "target": "selection",
        "photo_ids": ids,
        "label": "for Grandma",
        "expires_at": None,
    }
    assert (body["has_password"], body["view_limit"], body["allow_download"]) == (True, 2, False)
    assert (body["status"], body["views"], body["photo_id"]) == ("active", 0, None)
    assert "password" not in body and "granny-smith-42" not in made.content.decode()


def test_one_photo_is_shared_with_its_terms_through_either_route(make_photo):
    photo = make_photo()
    alice = client_for("sub-alice")

    by_photo = post(alice, f"/api/photos/{photo.photo_id}/share", {"label": "for Bob"})
    by_list = post(alice, "/api/share-links", {"photo_id": photo.photo_id, "expires_in": 300})

    assert (by_photo.status_code, by_list.status_code) == (201, 201)
    assert (by_photo.json()["label"], by_photo.json()["target"]) == ("for Bob", "photo")
    assert by_list.json()["photo_ids"] == [photo.photo_id]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, "bad_target"),
        ({"album_id": "x", "photo_id": "y"}, "bad_target"),
        ({"photo_ids": []}, "bad_selection"),
        ({"photo_ids": ["missing"]}, "bad_selection"),
        ({"photo_ids": ["x"], "view_limit": 0}, "bad_view_limit"),
        ({"photo_ids": ["x"], "password": "abc"}, "bad_password"),
        ({"photo_ids": ["x"], "expires_in": 10}, "bad_expiry"),
    ],
)
def test_bad_requests_are_400_with_a_code_and_nothing_is_made(aws_stack, body, code):
    response = post(client_for("sub-alice"), "/api/share-links", body)

    assert (response.status_code, response.json()["code"]) == (400, code)
    assert list(ShareLink.scan()) == []


def test_the_list_has_status_and_open_counts_and_the_log_masked_addresses(make_photo):
    photo = make_photo()
    link = services.share_link_create(
        photo_id=photo.photo_id, actor=ALICE, expires_in=3600, view_limit=1
    )
    Client().get(reverse("gallery:share_open", args=[link.token]), REMOTE_ADDR="198.51.100.23")
    alice = client_for("sub-alice")

    listed = alice.get("/api/share-links").json()["items"]
    one = alice.get(f"/api/share-links/{link.token}").json()
    log = alice.get(f"/api/share-links/{link.token}/opens").json()

    assert [(item["status"], item["views"]) for item in listed] == [("used_up", 1)]
    assert listed[0]["last_opened_at"] is not None
    assert (one["token"], one["status"]) == (link.token, "used_up")
    assert [(entry["ip"], entry["kind"]) for entry in log["items"]] == [("198.51.100.x", "page")]
    assert log["cursor"] is None


def test_someone_elses_link_and_log_are_404(make_photo):
    link = services.share_link_create(photo_id=make_photo().photo_id, actor=ALICE, expires_in=60)
    bob = client_for("sub-bob")

    assert bob.get(f"/api/share-links/{link.token}").status_code == 404
    assert bob.get(f"/api/share-links/{link.token}/opens").status_code == 404
    assert post(bob, f"/api/share-links/{link.token}/remove", {}).status_code == 403


def test_remove_refuses_a_live_link_then_removes_it_once_revoked_and_again_is_fine(make_photo):
    link = services.share_link_create(photo_id=make_photo().photo_id, actor=ALICE, expires_in=60)
    alice = client_for("sub-alice")
    path = f"/api/share-links/{link.token}/remove"

    live = post(alice, path, {})
    revoked = alice.delete(f"/api/share-links/{link.token}")
    removed = post(alice, path, {})
    again = post(alice, path, {})

    assert (live.status_code, live.json()["code"]) == (400, "link_active")
    assert (revoked.status_code, removed.status_code, again.status_code) == (204, 204, 204)
    assert alice.get("/api/share-links").json()["items"] == []


def test_an_album_is_shared_through_the_api_and_someone_elses_is_404(make_photo):
    album = albums.album_create(actor=ALICE, title="Holiday")
    alice, bob = client_for("sub-alice"), client_for("sub-bob")

    made = post(alice, "/api/share-links", {"album_id": album.album_id, "label": "for Grandma"})
    refused = post(bob, "/api/share-links", {"album_id": album.album_id})

    assert made.status_code == 201
    assert (made.json()["target"], made.json()["album_id"]) == ("album", album.album_id)
    assert refused.status_code == 404
