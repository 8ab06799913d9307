"""Hostile requests: forged client IPs, missing CSRF, open redirects, other people's photos,
guessed share tokens, bad cursors and mangled Authorization headers."""

from __future__ import annotations

import base64
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gallery.models import Comment, Photo, ShareLink
from tests.accounts.conftest import PASSWORD, account_create
from tests.accounts.users import sign_in
from tests.gallery.conftest import jpeg

EVIL_NEXT = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "http://testserver@evil.example/",
    " //evil.example",
]


def upload(client, **headers):
    return client.post(
        "/api/photos",
        {
            "file": SimpleUploadedFile("p.jpg", jpeg(64, 48), content_type="image/jpeg"),
            "name": "from somewhere",
        },
        **headers,
    )


# --- client IP ----------------------------------------------------------------------------------


def test_without_trusted_proxies_a_forged_forwarded_for_is_ignored(alice_client, settings):
    settings.PHOTOSITE_TRUSTED_PROXY_COUNT = 0

    created = upload(alice_client, HTTP_X_FORWARDED_FOR="198.51.100.66", REMOTE_ADDR="10.0.0.9")

    assert created.json()["uploader_ip"] == "10.0.0.9"


def test_behind_one_proxy_the_right_most_hop_is_the_client_not_what_it_claims(
    alice_client, settings
):
    settings.PHOTOSITE_TRUSTED_PROXY_COUNT = 1
    # The client forged the first entry; the load balancer appended the address it saw.
    forged = "198.51.100.66, 203.0.113.5"

    created = upload(alice_client, HTTP_X_FORWARDED_FOR=forged, REMOTE_ADDR="10.0.0.2")

    assert created.json()["uploader_ip"] == "203.0.113.5"


@pytest.mark.parametrize(
    ("header", "recorded"),
    [
        ("not-an-ip", ""),  # the hop the proxy wrote is no address: unknown, never the garbage
        ("999.1.1.1", ""),
        ("x" * 5000, ""),
        ("1.2.3.4, , ,", "1.2.3.4"),  # empty hops are skipped
        ("", "10.0.0.2"),  # no hop at all: the request bypassed the proxy, use the peer
    ],
)
def test_a_garbage_forwarded_for_never_becomes_the_recorded_ip(
    alice_client, settings, header, recorded
):
    settings.PHOTOSITE_TRUSTED_PROXY_COUNT = 1

    created = upload(alice_client, HTTP_X_FORWARDED_FOR=header, REMOTE_ADDR="10.0.0.2")

    assert created.status_code == 201
    assert created.json()["uploader_ip"] == recorded


# --- CSRF ---------------------------------------------------------------------------------------


def test_a_comment_without_a_csrf_token_is_refused_and_not_stored(alice, make_photo):
    photo = make_photo()
    client = Client(enforce_csrf_checks=True)
    sign_in(client, alice)

    response = client.post(f"/photos/{photo.photo_id}/comments/", {"body": "forged"})

    assert response.status_code == 403
    assert list(Comment.query(photo.photo_id)) == []


def test_a_delete_without_a_csrf_token_is_refused(alice, make_photo):
    photo = make_photo()
    client = Client(enforce_csrf_checks=True)
    sign_in(client, alice)

    assert client.post(f"/photos/{photo.photo_id}/delete/").status_code == 403
    assert Photo.get(photo.photo_id).is_visible


def test_a_session_api_write_without_a_csrf_token_is_refused(alice, make_photo):
    photo = make_photo()
    client = Client(enforce_csrf_checks=True)
    sign_in(client, alice)

    response = client.post(
        f"/api/photos/{photo.photo_id}/comments",
        json.dumps({"body": "forged"}),
        content_type="application/json",
    )

    assert response.status_code == 403
    assert list(Comment.query(photo.photo_id)) == []


# --- open redirects -----------------------------------------------------------------------------


@pytest.fixture
def member(aws_stack):
    return account_create(aws_stack.user_pool_id, email="dave@example.com")


@pytest.mark.parametrize("target", EVIL_NEXT)
def test_sign_in_never_redirects_off_site(client, member, target):
    response = client.post(
        f"/accounts/login/?next={target}",
        {"email": member.email, "password": PASSWORD, "next": target},
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/")
    assert not response["Location"].startswith(("//", "/\\"))


@pytest.mark.parametrize("target", EVIL_NEXT)
def test_sign_out_never_redirects_off_site(alice_client, target):
    response = alice_client.post(f"/accounts/logout/?next={target}", {"next": target})

    assert response.status_code == 302
    assert response["Location"].startswith("/")
    assert not response["Location"].startswith(("//", "/\\"))


# --- someone else's photo -----------------------------------------------------------------------


def test_another_users_photo_cannot_be_edited_or_deleted_on_the_site(bob_client, make_photo):
    photo = make_photo(name="Alice's")

    edit = bob_client.post(
        f"/photos/{photo.photo_id}/edit/",
        {"name": "Bob's now", "caption": "", "version": photo.version},
    )
    delete = bob_client.post(f"/photos/{photo.photo_id}/delete/")

    assert (edit.status_code, delete.status_code) == (403, 403)
    assert Photo.get(photo.photo_id).name == "Alice's"


def test_another_users_photo_cannot_be_changed_through_the_api(bob_client, make_photo):
    photo = make_photo(name="Alice's")
    url = f"/api/photos/{photo.photo_id}"

    patched = bob_client.patch(
        url, {"name": "Bob's", "version": photo.version}, content_type="application/json"
    )
    deleted = bob_client.delete(url)

    assert [r.status_code for r in (patched, deleted)] == [403, 403]
    assert {r.json()["code"] for r in (patched, deleted)} == {"forbidden"}
    assert Photo.get(photo.photo_id).name == "Alice's"


def test_another_users_photo_may_not_be_shared_on_the_page_or_in_the_api(bob_client, make_photo):
    # A link belongs to the photo's owner, who must be able to see and revoke every one: nobody
    # else but a moderator may make one.
    photo = make_photo(name="Alice's")

    api = bob_client.post(
        f"/api/photos/{photo.photo_id}/share", {"expires_in": 60}, content_type="application/json"
    )
    page = bob_client.post(f"/photos/{photo.photo_id}/share/", {"expires_in": 60})

    assert (api.status_code, api.json()["code"]) == (403, "forbidden")
    assert page.status_code == 403
    assert list(ShareLink.scan()) == []


@pytest.mark.parametrize("photo_id", ["nope", "A" * 16, "../../etc/passwd", "x" * 3000])
def test_an_unknown_photo_id_is_a_404(alice_client, aws_stack, photo_id):
    assert alice_client.get(f"/photos/{photo_id}/").status_code == 404
    response = alice_client.get(f"/api/photos/{photo_id}")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


# --- share tokens and cursors -------------------------------------------------------------------


@pytest.mark.parametrize("token", ["A" * 22, "guess", "x" * 4000, "%00", "..%2F..%2F"])
def test_a_guessed_share_token_is_a_404_page(quiet_client, aws_stack, token):
    response = quiet_client.get(f"/s/{token}")

    assert response.status_code == 404


def test_a_revoked_share_token_is_410(alice_client, make_photo):
    photo = make_photo()
    link = alice_client.post(
        f"/api/photos/{photo.photo_id}/share", {"expires_in": 60}, content_type="application/json"
    ).json()
    alice_client.post(f"/links/{link['token']}/revoke/")

    assert alice_client.get(f"/s/{link['token']}").status_code == 410


def forged_cursor(payload: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "%FF",
        "x" * 5000,
        forged_cursor({"photo_id": {"S": "x"}}),
        forged_cursor({"feed": {"N": "1"}, "photo_id": {"S": "p"}}),
        forged_cursor([1, 2]),
    ],
)
def test_a_bad_cursor_is_a_400_json(alice_client, make_photo, cursor):
    photo = make_photo()
    for url in (
        "/api/photos",
        f"/api/photos/{photo.photo_id}/comments",
        "/api/photos?mine=true",
        "/api/photos?q=sunset",
    ):
        response = alice_client.get(url, {"cursor": cursor})
        assert (response.status_code, response.json()["code"]) == (400, "bad_cursor"), url


@pytest.mark.parametrize("cursor", ["garbage", "x" * 5000])
def test_a_bad_cursor_on_a_page_goes_back_to_the_first_page(alice_client, aws_stack, cursor):
    response = alice_client.get("/", {"cursor": cursor})

    assert (response.status_code, response["Location"]) == (302, "/")


# --- Authorization headers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("Bearer " + "a" * 30_000, "too_large"),
        ("Basic YWxpY2U6cHc=", "bad_scheme"),
        ("Bearer", "bad_scheme"),
        ("Bearer     ", "bad_scheme"),
        ("Bearer a.b.c", "malformed"),
        ("Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "malformed"),
        ("Bearer \u202eñ", "malformed"),
        ("Bearer " + "A" * 100 + "." + "B" * 100 + "." + "C" * 100, "malformed"),
    ],
)
def test_a_mangled_authorization_header_is_a_401_json(quiet_client, aws_stack, header, code):
    response = quiet_client.get("/api/photos", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response.json()["code"] == code
    assert response["WWW-Authenticate"].startswith("Bearer")
