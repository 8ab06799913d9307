"""The albums' JSON API (/api/albums): the whole journey, repeats, and every refusal as
`{code, message}` with its status."""

from __future__ import annotations

import pytest
from django.test import Client

from gallery.models import Album, AlbumItem
from tests.accounts.users import sign_in

from .conftest import count_dynamodb_calls, png, table_count

JSON = "application/json"


@pytest.fixture
def photos(make_photo):
    return [make_photo(f"Photo {n}", data=png(8, 6)) for n in range(3)]


def create(client, **body):
    return client.post("/api/albums", {"title": "Trip", **body}, content_type=JSON)


def test_the_schema_documents_every_album_endpoint(client):
    paths = client.get("/api/openapi.json").json()["paths"]

    assert set(paths["/api/albums"]) == {"get", "post"}
    assert set(paths["/api/albums/{album_id}"]) == {"get", "patch", "delete"}
    assert "post" in paths["/api/albums/{album_id}/items"]
    assert "delete" in paths["/api/albums/{album_id}/items/{photo_id}"]
    assert "post" in paths["/api/albums/{album_id}/items/{photo_id}/move"]
    assert "put" in paths["/api/albums/{album_id}/cover"]


def test_without_credentials_the_albums_are_401(client, aws_stack):
    for method, path in [("get", "/api/albums"), ("post", "/api/albums"), ("get", "/api/albums/x")]:
        response = getattr(client, method)(path)
        assert response.status_code == 401 and response.json()["code"] == "missing_token"


def test_the_whole_journey(alice_client, photos):
    client = alice_client
    a, b, c = (p.photo_id for p in photos)

    made = create(client, description="Two weeks", request_token="journey-token")
    assert made.status_code == 201
    album = made.json()
    assert (album["title"], album["item_count"], album["cover_photo_id"]) == ("Trip", 0, None)
    base = f"/api/albums/{album['id']}"

    added = client.post(f"{base}/items", {"photo_ids": [a, b, c]}, content_type=JSON).json()
    assert added == {"added": [a, b, c], "present": [], "refused": []}

    moved = client.post(f"{base}/items/{c}/move", {"before": a}, content_type=JSON)
    assert moved.json() == {"moved": True}
    assert client.post(f"{base}/items/{c}/move", {"before": a}, content_type=JSON).json() == {
        "moved": False
    }

    cover = client.put(f"{base}/cover", {"photo_id": b}, content_type=JSON)
    assert cover.status_code == 200 and cover.json()["cover_photo_id"] == b

    renamed = client.patch(
        base, {"title": "Summer", "version": album["version"]}, content_type=JSON
    )
    assert renamed.json()["title"] == "Summer" and renamed.json()["description"] == "Two weeks"

    assert client.delete(f"{base}/items/{a}").status_code == 204
    assert client.delete(f"{base}/items/{a}").status_code == 204  # again: harmless

    detail = client.get(base).json()
    assert [item["id"] for item in detail["items"]] == [c, b]
    assert detail["item_count"] == 2 and detail["cover_photo_id"] == b
    assert detail["items"][0]["thumbnail_url"] and detail["cursor"] is None

    listed = client.get("/api/albums").json()
    assert [item["id"] for item in listed["items"]] == [album["id"]]

    assert client.delete(base).status_code == 204
    assert client.get(base).status_code == 404
    assert table_count(Album) == 0 and table_count(AlbumItem) == 0


def test_a_retried_create_with_the_same_token_returns_the_same_album(alice_client):
    first = create(alice_client, request_token="retry-token-1").json()
    again = create(alice_client, request_token="retry-token-1").json()

    assert first["id"] == again["id"] and table_count(Album) == 1


def test_the_album_pages_through_its_photos(alice_client, photos):
    album = create(alice_client).json()
    alice_client.post(
        f"/api/albums/{album['id']}/items",
        {"photo_ids": [p.photo_id for p in photos]},
        content_type=JSON,
    )

    first = alice_client.get(f"/api/albums/{album['id']}?limit=2").json()
    second = alice_client.get(f"/api/albums/{album['id']}?limit=2&cursor={first['cursor']}").json()

    assert [i["id"] for i in first["items"] + second["items"]] == [p.photo_id for p in photos]
    assert second["cursor"] is None


def test_an_album_read_costs_the_same_calls_as_a_page(alice_client, photos):
    album = create(alice_client).json()
    alice_client.post(
        f"/api/albums/{album['id']}/items",
        {"photo_ids": [p.photo_id for p in photos]},
        content_type=JSON,
    )

    with count_dynamodb_calls() as log:
        alice_client.get(f"/api/albums/{album['id']}?limit=2")

    assert log.operations[-3:] == ["GetItem", "Query", "BatchGetItem"]
    assert "Scan" not in log.operations


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"title": ""}, 400, "title_required"),
        ({"title": "x" * 201}, 400, "title_too_long"),
        ({"title": "T", "description": "d" * 2001}, 400, "description_too_long"),
        ({"title": "T", "request_token": "bad token"}, 400, "bad_request_token"),
        ({"title": 5}, 422, "invalid_request"),
    ],
)
def test_bad_albums_are_refused_with_a_clear_4xx(alice_client, aws_stack, body, status, code):
    response = alice_client.post("/api/albums", body, content_type=JSON)

    assert response.status_code == status and response.json()["code"] == code
    assert table_count(Album) == 0


def test_someone_elses_photo_is_403_and_a_missing_one_404(alice_client, make_photo):
    album = create(alice_client).json()
    theirs = make_photo("Bob's", owner_sub="sub-bob", owner_name="Bob")
    items = f"/api/albums/{album['id']}/items"

    forbidden = alice_client.post(items, {"photo_ids": [theirs.photo_id]}, content_type=JSON)
    missing = alice_client.post(items, {"photo_ids": ["nope"]}, content_type=JSON)
    empty = alice_client.post(items, {"photo_ids": []}, content_type=JSON)
    too_many = alice_client.post(
        items, {"photo_ids": [f"p{n}" for n in range(101)]}, content_type=JSON
    )

    assert (forbidden.status_code, forbidden.json()["code"]) == (403, "not_your_photo")
    assert missing.status_code == 404
    assert (empty.status_code, too_many.status_code) == (400, 400)
    assert table_count(AlbumItem) == 0


def test_a_mixed_batch_adds_what_it_can_and_lists_the_refusals(alice_client, photos, make_photo):
    album = create(alice_client).json()
    theirs = make_photo("Bob's", owner_sub="sub-bob", owner_name="Bob")

    result = alice_client.post(
        f"/api/albums/{album['id']}/items",
        {"photo_ids": [photos[0].photo_id, theirs.photo_id]},
        content_type=JSON,
    ).json()

    assert result["added"] == [photos[0].photo_id]
    assert result["refused"] == [
        {
            "photo_id": theirs.photo_id,
            "code": "not_your_photo",
            "message": "Only your own photos can go in your albums.",
        }
    ]


def test_someone_elses_album_is_404_everywhere(alice_client, bob, photos):
    album = create(alice_client).json()
    base = f"/api/albums/{album['id']}"
    other = sign_in(Client(), bob)

    for method, path, body in [
        ("get", base, None),
        ("patch", base, {"title": "Mine", "version": 1}),
        ("delete", base, None),
        ("post", f"{base}/items", {"photo_ids": [photos[0].photo_id]}),
        ("delete", f"{base}/items/{photos[0].photo_id}", None),
        ("post", f"{base}/items/{photos[0].photo_id}/move", {"after": "x"}),
        ("put", f"{base}/cover", {"photo_id": photos[0].photo_id}),
    ]:
        kwargs = {"data": body, "content_type": JSON} if body is not None else {}
        response = getattr(other, method)(path, **kwargs)
        assert response.status_code == 404, (method, path)
        assert response.json()["code"] == "not_found"
    assert other.get("/api/albums").json()["items"] == []


def test_a_stale_rename_is_409_and_a_bad_move_400(alice_client, photos):
    album = create(alice_client).json()
    base = f"/api/albums/{album['id']}"
    alice_client.patch(base, {"title": "One", "version": 1}, content_type=JSON)
    alice_client.post(
        f"{base}/items", {"photo_ids": [p.photo_id for p in photos[:2]]}, content_type=JSON
    )

    stale = alice_client.patch(base, {"title": "Two", "version": 1}, content_type=JSON)
    no_anchor = alice_client.post(f"{base}/items/{photos[0].photo_id}/move", {}, content_type=JSON)
    outside = alice_client.post(
        f"{base}/items/{photos[0].photo_id}/move", {"after": "elsewhere"}, content_type=JSON
    )
    cover = alice_client.put(f"{base}/cover", {"photo_id": photos[2].photo_id}, content_type=JSON)

    assert (stale.status_code, stale.json()["code"]) == (409, "conflict")
    assert (no_anchor.status_code, no_anchor.json()["code"]) == (400, "bad_move")
    assert (outside.status_code, outside.json()["code"]) == (404, "not_in_album")
    assert (cover.status_code, cover.json()["code"]) == (404, "not_in_album")


def test_ids_longer_than_any_key_are_404_not_server_errors(alice_client, photos):
    album = create(alice_client).json()
    base = f"/api/albums/{album['id']}"
    huge = "x" * 3000

    assert alice_client.get(f"/api/albums/{huge}").status_code == 404
    assert (
        alice_client.post(f"{base}/items", {"photo_ids": [huge]}, content_type=JSON).status_code
        == 404
    )
    assert alice_client.delete(f"{base}/items/{huge}").status_code == 204
    assert (
        alice_client.put(f"{base}/cover", {"photo_id": huge}, content_type=JSON).status_code == 404
    )
    moved = alice_client.post(
        f"{base}/items/{photos[0].photo_id}/move", {"after": huge}, content_type=JSON
    )
    assert moved.status_code == 404
