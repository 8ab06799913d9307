"""The API's share links (gallery.api): make a link to one's photo, list every link to one's
photos and revoke any of them; someone else's photo is a 403, and a moderator's acts are
recorded, as on the pages."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from accounts import cognito
from gallery import services
from gallery.models import ShareLink
from moderation.records import AuditEvent
from tests.accounts.conftest import PASSWORD, account_create
from tests.accounts.users import sign_in, site_user

from .conftest import jpeg


def client_for(sub: str, groups: tuple[str, ...] = ("members",)) -> Client:
    return sign_in(Client(), site_user(sub, sub[4:].title(), groups))


def share(client: Client, photo_id: str, expires_in: int = 3600):
    return client.post(
        f"/api/photos/{photo_id}/share", {"expires_in": expires_in}, content_type="application/json"
    )


def test_the_schema_publishes_the_share_link_routes(client):
    paths = client.get("/api/openapi.json").json()["paths"]

    assert {"post"} <= set(paths["/api/photos/{photo_id}/share"])
    assert {"get"} <= set(paths["/api/share-links"])
    assert {"delete"} <= set(paths["/api/share-links/{token}"])


@pytest.mark.parametrize(("method", "path"), [("get", ""), ("delete", "/some-token")])
def test_without_credentials_the_share_link_routes_are_401_json(client, aws_stack, method, path):
    response = getattr(client, method)(f"/api/share-links{path}")

    assert (response.status_code, response.json()["code"]) == (401, "missing_token")


def test_someone_elses_photo_is_a_403_and_no_link_is_made(make_photo):
    photo = make_photo()

    response = share(client_for("sub-bob"), photo.photo_id)

    assert (response.status_code, response.json()) == (
        403,
        {"code": "forbidden", "message": "Only the photo's owner or a moderator can share it."},
    )
    assert list(ShareLink.scan()) == []


def test_a_bearer_caller_shares_lists_and_revokes_with_the_token_alone(aws_stack, client):
    member = account_create(aws_stack.user_pool_id, email="owner@example.com")
    token = cognito.password_auth(email=member.email, password=PASSWORD).access_token
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    photo = services.photo_create(
        owner_sub=member.sub, owner_name="Owner", name="Pier", data=jpeg(), uploader_ip="::1"
    )

    made = client.post(
        f"/api/photos/{photo.photo_id}/share",
        {"expires_in": 86400},
        content_type="application/json",
        **auth,
    )
    listed = client.get("/api/share-links", **auth)
    revoked = client.delete(f"/api/share-links/{made.json()['token']}", **auth)

    assert made.status_code == 201
    assert [link["token"] for link in listed.json()["items"]] == [made.json()["token"]]
    assert revoked.status_code == 204
    assert client.get("/api/share-links", **auth).json()["items"][0]["revoked"] is True


def test_the_owner_lists_and_revokes_a_link_a_moderator_made(make_photo):
    photo = make_photo()
    moderator = client_for("sub-mod", ("admins",))
    made = share(moderator, photo.photo_id).json()
    alice = client_for("sub-alice")

    listed = alice.get("/api/share-links").json()["items"]
    revoked = alice.delete(f"/api/share-links/{made['token']}")

    assert [(link["token"], link["made_by_moderator"]) for link in listed] == [
        (made["token"], True)
    ]
    assert listed[0]["photo_id"] == photo.photo_id and listed[0]["revoked"] is False
    assert moderator.get("/api/share-links").json() == {"items": [], "cursor": None}
    assert revoked.status_code == 204
    assert Client().get(made["url"]).status_code == 410
    assert [(e.actor_sub, e.action) for e in AuditEvent.scan()] == [("sub-mod", "share")]


def test_others_may_not_revoke_and_an_unknown_token_is_404(make_photo):
    photo = make_photo()
    made = share(client_for("sub-alice"), photo.photo_id).json()

    refused = client_for("sub-bob").delete(f"/api/share-links/{made['token']}")
    unknown = client_for("sub-alice").delete("/api/share-links/no-such-token")

    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    assert not ShareLink.get(made["token"]).revoked


def test_revoking_twice_is_204_both_times(make_photo):
    photo = make_photo()
    alice = client_for("sub-alice")
    made = share(alice, photo.photo_id).json()

    answers = [alice.delete(f"/api/share-links/{made['token']}") for _ in range(2)]

    assert [answer.status_code for answer in answers] == [204, 204]


def test_the_direct_url_redirects_to_a_url_of_minutes_however_long_the_link(make_photo, settings):
    photo = make_photo()
    made = share(client_for("sub-alice"), photo.photo_id, expires_in=7 * 24 * 3600).json()

    followed = Client().get(made["direct_url"])

    assert followed.status_code == 302
    query = parse_qs(urlsplit(followed["Location"]).query)
    assert int(query["X-Amz-Expires"][0]) == settings.PHOTOSITE_URL_EXPIRY
    assert "X-Amz-Expires" not in made["direct_url"]  # the site's address, not a presigned one


def test_the_list_pages_by_cursor_and_a_bad_cursor_is_400(make_photo):
    photo = make_photo()
    alice = client_for("sub-alice")
    made = [share(alice, photo.photo_id).json()["token"] for _ in range(2)]

    listed = alice.get("/api/share-links").json()
    bad = alice.get("/api/share-links", {"cursor": "forged"})

    assert sorted(link["token"] for link in listed["items"]) == sorted(made)
    assert listed["cursor"] is None
    assert (bad.status_code, bad.json()["code"]) == (400, "bad_cursor")
