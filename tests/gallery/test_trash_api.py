"""The trash in the JSON API: DELETE /api/photos/{id} trashes, /api/trash lists, restores,
deletes forever and empties; every refusal is `{code, message}` with its status."""

from __future__ import annotations

from django.test import Client

from gallery.models import STATUS_HIDDEN, Photo
from gallery.services import moderation
from tests.accounts.users import sign_in

from .conftest import png, stored_counts


def test_deleting_through_the_api_moves_the_photo_to_the_trash(alice_client, make_photo):
    photo = make_photo("Pier")

    assert alice_client.delete(f"/api/photos/{photo.photo_id}").status_code == 204
    assert alice_client.delete(f"/api/photos/{photo.photo_id}").status_code == 204  # a retry

    listed = alice_client.get("/api/trash").json()
    assert [item["id"] for item in listed["items"]] == [photo.photo_id]
    item = listed["items"][0]
    assert item["name"] == "Pier" and item["hidden"] is False
    assert item["purge_at"] > item["trashed_at"]
    assert "trash/" in item["thumbnail_url"]
    assert listed["cursor"] is None
    assert alice_client.get(f"/api/photos/{photo.photo_id}").status_code == 404
    assert alice_client.get("/api/photos?mine=true").json()["items"] == []


def test_restore_through_the_api_is_idempotent_and_keeps_a_hidden_photo_hidden(
    alice_client, make_photo
):
    photo = make_photo()
    moderation.photo_hide(photo_id=photo.photo_id, reason="spam")
    alice_client.delete(f"/api/photos/{photo.photo_id}")

    first = alice_client.post(f"/api/trash/{photo.photo_id}/restore")
    second = alice_client.post(f"/api/trash/{photo.photo_id}/restore")

    assert first.status_code == second.status_code == 200
    assert first.json()["hidden"] is True and first.json()["version"] == second.json()["version"]
    assert Photo.get(photo.photo_id).status == STATUS_HIDDEN
    assert alice_client.get("/api/trash").json()["items"] == []


def test_delete_forever_through_the_api(alice_client, make_photo, aws_stack):
    photo = make_photo()
    alice_client.delete(f"/api/photos/{photo.photo_id}")

    gone = alice_client.delete(f"/api/trash/{photo.photo_id}")
    again = alice_client.delete(f"/api/trash/{photo.photo_id}")

    assert gone.status_code == 204
    assert (again.status_code, again.json()["code"]) == (404, "not_found")
    assert stored_counts(aws_stack.bucket)["photos"] == 0
    restore = alice_client.post(f"/api/trash/{photo.photo_id}/restore")
    assert restore.status_code == 404


def test_delete_forever_of_a_photo_not_in_the_trash_is_409(alice_client, make_photo):
    photo = make_photo()

    response = alice_client.delete(f"/api/trash/{photo.photo_id}")

    assert (response.status_code, response.json()["code"]) == (409, "not_trashed")
    assert Photo.get(photo.photo_id).is_visible


def test_emptying_through_the_api(alice_client, make_photo, settings):
    for n in range(3):
        photo = make_photo(f"Gone {n}", data=png(16, 12))
        alice_client.delete(f"/api/photos/{photo.photo_id}")

    first = alice_client.post("/api/trash/empty")
    second = alice_client.post("/api/trash/empty")

    assert first.json() == {"deleted": 3, "more": False}
    assert second.json() == {"deleted": 0, "more": False}


def test_someone_elses_trash_is_out_of_reach(client, bob, make_photo, alice_client):
    photo = make_photo()
    alice_client.delete(f"/api/photos/{photo.photo_id}")
    other = Client()
    sign_in(other, bob)

    assert other.get("/api/trash").json()["items"] == []
    restore = other.post(f"/api/trash/{photo.photo_id}/restore")
    delete = other.delete(f"/api/trash/{photo.photo_id}")

    assert (restore.status_code, restore.json()["code"]) == (403, "forbidden")
    assert (delete.status_code, delete.json()["code"]) == (403, "forbidden")
    assert Photo.get(photo.photo_id).is_trashed


def test_a_bad_cursor_is_400_and_no_credentials_401(alice_client, aws_stack):
    assert alice_client.get("/api/trash?cursor=forged").status_code == 400
    for method, path in [
        ("get", "/api/trash"),
        ("post", "/api/trash/x/restore"),
        ("delete", "/api/trash/x"),
        ("post", "/api/trash/empty"),
    ]:
        response = getattr(Client(), method)(path)
        assert response.status_code == 401, path


def test_the_schema_describes_the_trash(client):
    paths = client.get("/api/openapi.json").json()["paths"]

    assert set(paths["/api/trash"]) == {"get"}
    assert set(paths["/api/trash/{photo_id}/restore"]) == {"post"}
    assert set(paths["/api/trash/{photo_id}"]) == {"delete"}
    assert set(paths["/api/trash/empty"]) == {"post"}
    assert "trash" in paths["/api/photos/{photo_id}"]["delete"]["description"]
