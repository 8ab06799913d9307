"""Share-link pages per recipient: the share form's terms, sharing a selection from My photos,
My links (address, Copy, status, count), one link's page (QR code, open log), removal, and the
recipient's side: password, view limit, download switch, revocation on the next request."""

from __future__ import annotations

import re

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


def token_in(html: str) -> str:
    return re.search(r"/s/([A-Za-z0-9_-]{20,})", html).group(1)


def open_page(client: Client, token: str, **extra):
    return client.get(reverse("gallery:share_open", args=[token]), **extra)


# --- making links -------------------------------------------------------------------------------


def test_the_share_form_makes_a_link_for_a_recipient_with_its_terms(
    alice_client, make_photo, fast_hasher
):
    photo = make_photo()

    made = alice_client.post(
        reverse("gallery:share_create", args=[photo.photo_id]),
        {
            "expires_in": 0,
            "label": "for Grandma",
            "password": "granny-smith-42",
            "view_limit": 5,
            "view_only": "on",
        },
    )

    assert made.status_code == 201
    html = made.content.decode()
    link = ShareLink.get(token_in(html))
    assert (link.label, link.until_revoked, link.view_limit, link.downloads) == (
        "for Grandma",
        True,
        5,
        False,
    )
    assert link.password_hash and "granny-smith-42" not in html
    assert "until you revoke it" in html
    # The full address, a Copy button JavaScript reveals, and a QR code drawn on the server.
    assert f'value="http://testserver/s/{link.token}"' in html
    assert re.search(r'<button[^>]*data-copy="share-url"[^>]*hidden>', html)
    assert '<svg width="' in html and 'class="qr-code"' in html
    assert "/static/js/copy.js" in html and "<script>" not in html
    # View only: no direct file link is offered.
    assert f"/s/{link.token}/file" not in html


def test_a_bad_view_limit_is_a_400_with_the_form_and_no_link(alice_client, make_photo):
    photo = make_photo()

    refused = alice_client.post(
        reverse("gallery:share_create", args=[photo.photo_id]),
        {"expires_in": 3600, "view_limit": 0},
    )

    assert refused.status_code == 400
    assert list(ShareLink.scan()) == []


def test_my_photos_selection_asks_for_the_terms_then_makes_one_link(alice_client, make_photo):
    photos = [make_photo(name) for name in ("One", "Two")]
    url = reverse("gallery:share_selection")
    ids = [photo.photo_id for photo in photos]

    asked = alice_client.post(url, {"photo_id": ids})
    made = alice_client.post(
        url, {"photo_id": ids, "make": "1", "expires_in": 86400, "label": "for Bob"}
    )

    assert asked.status_code == 200
    assert "Share 2 photos" in asked.content.decode()
    for photo_id in ids:
        assert f'name="photo_id" value="{photo_id}"' in asked.content.decode()
    assert made.status_code == 201
    link = ShareLink.get(token_in(made.content.decode()))
    assert (link.target, link.photo_ids, link.label) == ("selection", ids, "for Bob")
    page = open_page(Client(), link.token).content.decode()
    assert 'alt="One"' in page and 'alt="Two"' in page


def test_a_selection_of_someone_elses_photos_is_refused_with_nothing_made(alice_client, make_photo):
    theirs = make_photo(owner_sub="sub-bob", owner_name="Bob")

    refused = alice_client.post(
        reverse("gallery:share_selection"),
        {"photo_id": [theirs.photo_id], "make": "1", "expires_in": 60},
    )

    assert refused.status_code == 403
    assert "owner or a moderator" in refused.content.decode()
    assert list(ShareLink.scan()) == []


def test_an_empty_selection_goes_back_to_my_photos(alice_client):
    response = alice_client.post(reverse("gallery:share_selection"), {})

    assert (response.status_code, response["Location"]) == (302, reverse("gallery:photo_mine"))


def test_sharing_a_selection_needs_a_sign_in(client, make_photo):
    response = client.post(reverse("gallery:share_selection"), {"photo_id": ["x"]})

    assert response.status_code == 302 and "login" in response["Location"]


# --- the recipient ------------------------------------------------------------------------------


def test_a_password_page_then_the_photo_for_the_session_and_no_other_link(make_photo, fast_hasher):
    photo = make_photo()
    link = services.share_link_create(
        photo_id=photo.photo_id, actor=ALICE, expires_in=3600, password="granny-smith-42"
    )
    other = services.share_link_create(
        photo_id=photo.photo_id, actor=ALICE, expires_in=3600, password="another-one"
    )
    visitor = Client()
    url = reverse("gallery:share_open", args=[link.token])

    asked = visitor.get(url)
    wrong = visitor.post(url, {"password": "granny"})
    right = visitor.post(url, {"password": "granny-smith-42"})
    shown = visitor.get(url)

    assert asked.status_code == 200 and 'type="password"' in asked.content.decode()
    # A browser posts a form from a no-referrer page with `Origin: null`, which CSRF refuses.
    assert asked["Referrer-Policy"] == "same-origin"
    assert 'alt="' not in asked.content.decode()
    assert wrong.status_code == 403 and "That password is not right." in wrong.content.decode()
    assert (right.status_code, right["Location"]) == (303, url)
    cookie = visitor.cookies["share_access"]
    assert cookie["path"] == url and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert link.token in cookie.value and cookie.value != link.token  # signed
    assert shown.status_code == 200 and f'alt="{photo.name}"' in shown.content.decode()
    assert ShareLink.get(link.token).open_count == 1
    # The cookie is this link's: another link still asks for its own password.
    assert 'type="password"' in open_page(visitor, other.token).content.decode()


def test_a_forged_access_cookie_does_not_open_a_protected_link(make_photo, fast_hasher):
    link = services.share_link_create(
        photo_id=make_photo().photo_id, actor=ALICE, expires_in=3600, password="granny-smith-42"
    )
    visitor = Client()
    visitor.cookies["share_access"] = link.token

    assert 'type="password"' in open_page(visitor, link.token).content.decode()


def test_the_view_limit_refuses_the_next_open_with_a_410(make_photo):
    link = services.share_link_create(
        photo_id=make_photo().photo_id, actor=ALICE, expires_in=3600, view_limit=2
    )

    statuses = [open_page(Client(), link.token).status_code for _ in range(3)]

    assert statuses == [200, 200, 410]
    assert "opened as many times as it allows" in open_page(Client(), link.token).content.decode()


def test_a_link_checkers_head_request_counts_no_view(make_photo):
    link = services.share_link_create(
        photo_id=make_photo().photo_id, actor=ALICE, expires_in=3600, view_limit=1
    )

    head = Client().head(reverse("gallery:share_open", args=[link.token]))

    assert head.status_code == 200
    assert ShareLink.get(link.token).open_count == 0


def test_a_view_only_link_shows_the_photo_without_any_download(make_photo):
    photo = make_photo()
    link = services.share_link_create(
        photo_id=photo.photo_id, actor=ALICE, expires_in=3600, allow_download=False
    )

    page = open_page(Client(), link.token)
    file = Client().get(reverse("gallery:share_file", args=[link.token]))

    assert page.status_code == 200 and f'alt="{photo.name}"' in page.content.decode()
    assert "/file" not in page.content.decode()
    assert file.status_code == 403


def test_a_downloadable_link_offers_its_file(make_photo):
    photo = make_photo()
    link = services.share_link_create(photo_id=photo.photo_id, actor=ALICE, expires_in=3600)

    page = open_page(Client(), link.token).content.decode()

    assert f'href="/s/{link.token}/file" download' in page


def test_revoking_refuses_the_next_request_of_a_recipient_already_in(alice_client, make_photo):
    link = services.share_link_create(
        photo_id=make_photo().photo_id, actor=ALICE, expires_in=None, view_limit=5
    )
    visitor = Client()
    assert open_page(visitor, link.token).status_code == 200

    alice_client.post(reverse("gallery:share_revoke", args=[link.token]))

    assert open_page(visitor, link.token).status_code == 410
    assert visitor.get(reverse("gallery:share_file", args=[link.token])).status_code == 410


# --- the owner's list and log -------------------------------------------------------------------


def test_my_links_shows_address_status_and_opens_of_every_link(alice_client, make_photo):
    photo = make_photo()
    live = services.share_link_create(
        photo_id=photo.photo_id, actor=ALICE, expires_in=3600, label="for Grandma", view_limit=4
    )
    revoked = services.share_link_create(
        photo_id=photo.photo_id, actor=ALICE, expires_in=3600, label="for Bob"
    )
    services.share_link_revoke(token=revoked.token, actor=ALICE)
    open_page(Client(), live.token, REMOTE_ADDR="198.51.100.23")

    html = alice_client.get(reverse("gallery:share_list")).content.decode()

    assert f'value="http://testserver/s/{live.token}"' in html
    assert "for Grandma" in html and "for Bob" in html
    assert "1 time" in html and "/ 4" in html
    assert "active" in html and "revoked" in html
    assert reverse("gallery:share_remove", args=[revoked.token]) in html
    assert reverse("gallery:share_revoke", args=[live.token]) in html
    # A revoked link's address is no longer offered for copying.
    assert f'value="http://testserver/s/{revoked.token}"' not in html


def test_a_links_page_shows_its_qr_code_and_its_open_log_of_masked_addresses(
    alice_client, make_photo
):
    link = services.share_link_create(photo_id=make_photo().photo_id, actor=ALICE, expires_in=3600)
    open_page(Client(), link.token, REMOTE_ADDR="198.51.100.23")
    open_page(Client(), link.token, REMOTE_ADDR="203.0.113.9")

    html = alice_client.get(reverse("gallery:share_detail", args=[link.token])).content.decode()

    assert 'class="qr-code"' in html
    assert html.count('class="open-entry"') == 2
    assert "198.51.100.x" in html and "203.0.113.x" in html
    assert "198.51.100.23" not in html and "203.0.113.9" not in html


def test_someone_elses_link_page_is_a_404(client, make_photo):
    link = services.share_link_create(photo_id=make_photo().photo_id, actor=ALICE, expires_in=3600)
    sign_in(client, site_user("sub-bob", "Bob", ("members",)))

    assert client.get(reverse("gallery:share_detail", args=[link.token])).status_code == 404


def test_an_ended_link_is_removed_with_one_click_and_a_second_click_is_harmless(
    alice_client, make_photo
):
    link = services.share_link_create(photo_id=make_photo().photo_id, actor=ALICE, expires_in=3600)
    services.share_link_revoke(token=link.token, actor=ALICE)
    url = reverse("gallery:share_remove", args=[link.token])

    first = alice_client.post(url)
    second = alice_client.post(url)

    assert (first.status_code, second.status_code) == (302, 302)
    assert list(ShareLink.scan()) == []
    assert link.token not in alice_client.get(reverse("gallery:share_list")).content.decode()


def test_a_live_link_is_not_removed_but_told_to_be_revoked(alice_client, make_photo):
    link = services.share_link_create(photo_id=make_photo().photo_id, actor=ALICE, expires_in=3600)

    response = alice_client.post(reverse("gallery:share_remove", args=[link.token]), follow=True)

    assert "Revoke this link before removing it" in response.content.decode()
    assert ShareLink.get(link.token)


def test_my_links_the_log_and_the_recipients_refusal_read_in_chinese(alice_client, make_photo):
    link = services.share_link_create(
        photo_id=make_photo().photo_id, actor=ALICE, expires_in=None, view_limit=1
    )
    visitor = Client()
    visitor.cookies["django_language"] = "zh-hans"
    alice_client.cookies["django_language"] = "zh-hans"
    open_page(visitor, link.token)

    listed = alice_client.get(reverse("gallery:share_list")).content.decode()
    detail = alice_client.get(reverse("gallery:share_detail", args=[link.token])).content.decode()
    refused = open_page(visitor, link.token).content.decode()

    assert "已达查看上限" in listed and "直到撤销" in listed and "1 次" in listed
    assert "打开记录" in detail and "打开页面" in detail
    assert "此链接已达到允许的打开次数。" in refused


def test_an_albums_page_offers_the_share_form_and_the_album_opens_for_the_recipient(
    alice_client, make_photo
):
    photo = make_photo("Beach 海滩")
    album = albums.album_create(actor=ALICE, title="Holiday 假期")
    albums.album_items_add(album_id=album.album_id, photo_ids=[photo.photo_id], actor=ALICE)

    page = alice_client.get(reverse("gallery:album_detail", args=[album.album_id]))
    made = alice_client.post(
        reverse("gallery:share_album", args=[album.album_id]),
        {"expires_in": 3600, "label": "for Grandma"},
    )
    opened = open_page(Client(), token_in(made.content.decode()))

    assert reverse("gallery:share_album", args=[album.album_id]) in page.content.decode()
    assert made.status_code == 201
    html = opened.content.decode()
    assert opened.status_code == 200
    assert "<h1>Holiday 假期</h1>" in html and 'alt="Beach 海滩"' in html
    listed = alice_client.get(reverse("gallery:share_list")).content.decode()
    assert "Holiday 假期" in listed


def test_someone_elses_album_cannot_be_shared(client, make_photo):
    album = albums.album_create(actor=ALICE, title="Holiday")
    sign_in(client, site_user("sub-bob", "Bob", ("members",)))

    response = client.post(reverse("gallery:share_album", args=[album.album_id]), {})

    assert response.status_code == 404
    assert list(ShareLink.scan()) == []
