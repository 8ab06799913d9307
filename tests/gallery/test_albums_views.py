"""Album pages (gallery.album_views): the owner makes, fills, orders, covers, renames and
deletes an album through forms; everyone else finds nothing; bad input gets a 4xx."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from gallery import album_selectors
from gallery.models import Album, AlbumItem, Photo
from gallery.services import albums
from tests.accounts.users import sign_in

from .conftest import png, table_count


@pytest.fixture
def photos(make_photo):
    return [make_photo(f"Photo {n}", data=png(8, 6)) for n in range(3)]


@pytest.fixture
def album(alice):
    return albums.album_create(actor=alice, title="Trip 旅行")


@pytest.fixture
def filled(alice, album, photos):
    albums.album_items_add(
        album_id=album.album_id, photo_ids=[p.photo_id for p in photos], actor=alice
    )
    return [p.photo_id for p in photos]


def order(album_id):
    return [item.photo_id for item in album_selectors.album_item_page(album_id=album_id).items]


def url(name, *args):
    return reverse(f"gallery:{name}", args=args)


def test_my_albums_lists_the_users_albums_with_counts_and_a_new_album_form(
    alice_client, album, filled
):
    page = alice_client.get(url("album_list")).content.decode()

    assert "Trip 旅行" in page and "3 photos" in page
    assert 'name="request_token"' in page


def test_the_nav_links_to_my_albums_for_signed_in_users(alice_client, client):
    assert url("album_list") in alice_client.get(url("photo_list")).content.decode()
    assert url("album_list") not in Client().get(url("photo_list")).content.decode()


def test_making_an_album_goes_to_it_and_a_resent_form_makes_no_second(alice_client):
    form = {"title": "Birds", "description": "", "request_token": "tok-abcdefgh"}

    first = alice_client.post(url("album_list"), form)
    again = alice_client.post(url("album_list"), form)

    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert table_count(Album) == 1


def test_making_an_album_with_photos_adds_them(alice_client, photos):
    response = alice_client.post(
        url("album_list"),
        {
            "title": "With",
            "request_token": "tok-withphotos",
            "photo_id": [p.photo_id for p in photos],
        },
    )

    assert response.status_code == 302
    (album,) = list(Album.scan())
    assert order(album.album_id) == [p.photo_id for p in photos]


@pytest.mark.parametrize("title", ["", "x" * 201])
def test_a_missing_or_huge_title_is_a_400_with_the_form_again(alice_client, title):
    response = alice_client.post(url("album_list"), {"title": title})

    assert response.status_code == 400
    assert 'class="errors"' in response.content.decode()
    assert table_count(Album) == 0


def test_signed_out_visitors_are_sent_to_sign_in(client, album):
    for name, args in [("album_list", ()), ("album_detail", (album.album_id,))]:
        response = client.get(url(name, *args))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_album_page_shows_its_photos_in_order_with_their_controls(alice_client, album, filled):
    page = alice_client.get(url("album_detail", album.album_id)).content.decode()

    ids = re.findall(r'id="item-([^"]+)"', page)
    assert ids == filled
    assert page.count('name="before"') == 2 and page.count('name="after"') == 2
    assert "Make cover: Photo 1" in page and "Make cover: Photo 0" not in page


def test_someone_elses_album_is_404_on_every_page(client, bob, album, filled):
    sign_in(client, bob)
    assert client.get(url("album_detail", album.album_id)).status_code == 404
    assert client.get(url("album_delete", album.album_id)).status_code == 404
    for name in ("album_edit", "album_add", "album_remove", "album_move", "album_cover"):
        assert client.post(url(name, album.album_id), {"photo_id": filled[0]}).status_code == 404, (
            name
        )
    assert order(album.album_id) == filled


def test_a_missing_album_is_404(alice_client):
    assert alice_client.get(url("album_detail", "no-such-album")).status_code == 404


def test_moving_a_photo_earlier_twice_moves_it_once(alice_client, album, filled):
    a, b, c = filled
    form = {"photo_id": c, "before": b}

    first = alice_client.post(url("album_move", album.album_id), form)
    alice_client.post(url("album_move", album.album_id), form)

    assert first.status_code == 302 and first["Location"].endswith(f"#item-{c}")
    assert order(album.album_id) == [a, c, b]


def test_moving_a_photo_later(alice_client, album, filled):
    a, b, c = filled
    alice_client.post(url("album_move", album.album_id), {"photo_id": a, "after": b})

    assert order(album.album_id) == [b, a, c]


def test_a_move_without_a_neighbour_is_a_400(alice_client, album, filled):
    response = alice_client.post(url("album_move", album.album_id), {"photo_id": filled[0]})

    assert response.status_code == 400
    assert order(album.album_id) == filled


def test_adding_from_a_photo_goes_back_to_the_photo(alice_client, album, make_photo):
    photo = make_photo("Lone")
    back = url("photo_detail", photo.photo_id)

    response = alice_client.post(
        url("album_add", album.album_id), {"photo_id": photo.photo_id, "next": back}
    )
    again = alice_client.post(
        url("album_add", album.album_id), {"photo_id": photo.photo_id, "next": back}
    )

    assert response["Location"] == again["Location"] == back
    assert table_count(AlbumItem) == 1


def test_adding_never_sends_the_user_off_the_site(alice_client, album, make_photo):
    photo = make_photo("Lone")
    response = alice_client.post(
        url("album_add", album.album_id),
        {"photo_id": photo.photo_id, "next": "https://evil.example/"},
    )

    assert response["Location"] == url("album_detail", album.album_id)


def test_adding_someone_elses_photo_is_a_403_and_adds_nothing(alice_client, album, make_photo):
    theirs = make_photo("Bob's", owner_sub="sub-bob", owner_name="Bob")

    response = alice_client.post(url("album_add", album.album_id), {"photo_id": theirs.photo_id})

    assert response.status_code == 403
    assert "Only your own photos" in response.content.decode()
    assert table_count(AlbumItem) == 0


def test_adding_in_bulk_adds_each_once_and_reports_the_rest(
    alice_client, album, filled, make_photo
):
    new = make_photo("New")
    response = alice_client.post(
        url("album_add", album.album_id),
        {"photo_id": [filled[0], new.photo_id, "missing"]},
        follow=True,
    )

    page = response.content.decode()
    assert "Added 1 photo to “Trip 旅行”." in page
    assert "1 photo was in the album already." in page and "No such photo." in page
    assert order(album.album_id) == [*filled, new.photo_id]


def test_removing_and_picking_the_cover(alice_client, album, filled):
    alice_client.post(url("album_cover", album.album_id), {"photo_id": filled[2]})
    assert Album.get(album.album_id).cover_photo_id == filled[2]

    alice_client.post(url("album_remove", album.album_id), {"photo_id": filled[0]})
    again = alice_client.post(url("album_remove", album.album_id), {"photo_id": filled[0]})

    assert again.status_code == 302
    assert order(album.album_id) == filled[1:]


def test_renaming_with_a_stale_form_is_a_409(alice_client, album):
    form = {"title": "New name", "description": "", "version": 1}
    assert alice_client.post(url("album_edit", album.album_id), form).status_code == 302

    stale = alice_client.post(url("album_edit", album.album_id), {**form, "title": "Other"})

    assert stale.status_code == 409
    assert Album.get(album.album_id).title == "New name"


def test_deleting_asks_first_then_deletes_and_a_second_post_is_harmless(
    alice_client, album, filled
):
    ask = alice_client.get(url("album_delete", album.album_id))
    assert ask.status_code == 200 and "Trip 旅行" in ask.content.decode()

    first = alice_client.post(url("album_delete", album.album_id))
    again = alice_client.post(url("album_delete", album.album_id))

    assert first.status_code == again.status_code == 302
    assert table_count(Album) == 0 and table_count(AlbumItem) == 0
    assert table_count(Photo) == 3  # the photos stay


def test_the_photo_page_offers_add_to_album_to_its_owner_only(alice_client, client, bob, photos):
    detail = url("photo_detail", photos[0].photo_id)

    assert url("album_choose") in alice_client.get(detail).content.decode()
    sign_in(client, bob)
    assert url("album_choose") not in client.get(detail).content.decode()


def test_the_chooser_offers_the_users_albums_for_the_chosen_photos(
    alice_client, album, photos, make_photo
):
    theirs = make_photo("Bob's", owner_sub="sub-bob", owner_name="Bob")
    response = alice_client.get(
        url("album_choose"), {"photo_id": [photos[0].photo_id, photos[1].photo_id, theirs.photo_id]}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Add 2 photos to an album" in page and "Trip 旅行" in page
    assert page.count(f'value="{photos[0].photo_id}"') == 2  # in both forms
    assert f'value="{theirs.photo_id}"' not in page
    assert "1 photo left out: not yours, or gone." in page


def test_the_chooser_with_no_photo_of_the_users_is_404(alice_client, make_photo):
    theirs = make_photo("Bob's", owner_sub="sub-bob", owner_name="Bob")
    assert alice_client.get(url("album_choose"), {"photo_id": theirs.photo_id}).status_code == 404


def move_forms(html: str) -> dict[str, tuple[str, str]]:
    """Return each photo's move buttons as {photo_id: (before, after)} ('' for none)."""
    forms = {}
    for item in re.findall(r'id="item-([^"]+)"(.*?)</li>', html, re.S):
        photo_id, body = item
        before = re.search(r'name="before" value="([^"]+)"', body)
        after = re.search(r'name="after" value="([^"]+)"', body)
        forms[photo_id] = (before.group(1) if before else "", after.group(1) if after else "")
    return forms


def test_the_photos_at_a_pages_edges_move_past_the_photos_on_the_next_pages(
    alice_client, alice, album, make_photo, monkeypatch
):
    monkeypatch.setattr(album_selectors, "ALBUM_EDIT_PAGE_SIZE", 2)
    a, b, c, d, e = (make_photo(n, data=png(8, 6)).photo_id for n in "abcde")
    albums.album_items_add(album_id=album.album_id, photo_ids=[a, b, c, d, e], actor=alice)

    first = alice_client.get(url("album_detail", album.album_id)).content.decode()
    cursor = re.search(r'\?cursor=([^"]+)"', first).group(1)
    second = alice_client.get(url("album_detail", album.album_id) + f"?cursor={cursor}")

    assert move_forms(first) == {a: ("", b), b: (a, c)}
    assert move_forms(second.content.decode()) == {c: (b, d), d: (c, e)}
    alice_client.post(url("album_move", album.album_id), {"photo_id": c, "before": b})
    assert order(album.album_id) == [a, c, b, d, e]
