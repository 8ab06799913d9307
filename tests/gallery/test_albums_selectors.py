"""Album reads (gallery.album_selectors): the order, the per-photo visibility rule, and the
cost of a page, counted in DynamoDB calls and items, the same for a small and a large album."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from gallery import album_selectors, services
from gallery.cursors import BadCursor
from gallery.errors import NotFound
from gallery.models import Album, AlbumItem, Photo
from gallery.selectors import PhotoCard
from gallery.services import albums

from .conftest import count_dynamodb_calls, png


class MadeOnDemand(Sequence):
    """Thirty photos, each made through the real service the first time a test reaches it, in
    order: most tests use three to seven of them, and making one costs a whole upload.

    A photo first reached inside `count_dynamodb_calls()` would add its upload's calls to the
    count, so the tests reach theirs before counting.
    """

    def __init__(self, make_photo: Callable[..., Photo], count: int = 30) -> None:
        self._make_photo = make_photo
        self._count = count
        self._made: list[Photo] = []

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: int | slice):  # Photo, or a list of them for a slice
        reached = range(self._count)[index]
        last = max(reached, default=-1) if isinstance(reached, range) else reached
        while len(self._made) <= last:
            self._made.append(self._make_photo(f"P{len(self._made)}", data=png(8, 6)))
        return self._made[index]


@pytest.fixture
def many(make_photo):
    return MadeOnDemand(make_photo)


def filled_album(actor, photos, title="Album"):
    album = albums.album_create(actor=actor, title=title)
    albums.album_items_add(
        album_id=album.album_id, photo_ids=[p.photo_id for p in photos], actor=actor
    )
    return album


def test_an_album_page_gives_the_gallerys_cards_in_the_owners_order(alice, many):
    album = filled_album(alice, many[:5])
    albums.album_item_move(
        album_id=album.album_id, photo_id=many[4].photo_id, actor=alice, before=many[0].photo_id
    )

    page = album_selectors.album_photo_page(album_id=album.album_id, viewer=alice)

    assert all(isinstance(card, PhotoCard) for card in page.items)
    assert [c.photo_id for c in page.items] == [many[i].photo_id for i in (4, 0, 1, 2, 3)]
    assert page.cursor is None


def test_pages_follow_each_other_without_gaps_or_repeats(alice, many):
    album = filled_album(alice, many[:7])

    seen, cursor = [], None
    while True:
        page = album_selectors.album_photo_page(
            album_id=album.album_id, viewer=alice, cursor=cursor, limit=3
        )
        seen += [c.photo_id for c in page.items]
        cursor = page.cursor
        if cursor is None:
            break

    assert seen == [p.photo_id for p in many[:7]]


def test_a_cursor_of_another_album_is_refused(alice, many):
    first = filled_album(alice, many[:3], "One")
    second = filled_album(alice, many[3:6], "Two")
    cursor = album_selectors.album_photo_page(album_id=first.album_id, viewer=alice, limit=1).cursor

    with pytest.raises(BadCursor):
        album_selectors.album_photo_page(album_id=second.album_id, viewer=alice, cursor=cursor)


def test_a_hidden_photo_shows_to_its_owner_and_not_through_a_share(alice, many):
    album = filled_album(alice, many[:3])
    services.photo_hide(photo_id=many[1].photo_id)

    owner = album_selectors.album_photo_page(album_id=album.album_id, viewer=alice)
    visitor = album_selectors.album_photo_page(album_id=album.album_id, viewer=AnonymousUser())
    shared = album_selectors.album_photo_page(album_id=album.album_id)  # no viewer: a share link's

    assert [c.photo_id for c in owner.items] == [p.photo_id for p in many[:3]]
    assert owner.items[1].status == "hidden"
    assert [c.photo_id for c in visitor.items] == [many[0].photo_id, many[2].photo_id]
    assert shared.items == visitor.items


def test_the_per_photo_rule_is_the_photo_pages_rule(alice, bob, moderator, many, monkeypatch):
    """The page asks gallery.policy.may_view of each photo, so a new rule there (visibility)
    applies to albums with no change here."""
    album = filled_album(alice, many[:3])
    from gallery import policy

    monkeypatch.setattr(policy, "may_view", lambda *, viewer, photo: photo.name != "P1")

    page = album_selectors.album_photo_page(album_id=album.album_id, viewer=alice)

    assert [c.name for c in page.items] == ["P0", "P2"]


def test_an_item_whose_photo_vanished_without_clean_up_is_skipped(alice, many):
    album = filled_album(alice, many[:3])
    many[1].delete(add_version_condition=False)  # as if the clean-up had not run yet

    page = album_selectors.album_photo_page(album_id=album.album_id, viewer=alice)

    assert [c.photo_id for c in page.items] == [many[0].photo_id, many[2].photo_id]


@pytest.mark.parametrize("size", [5, 30])
def test_a_page_costs_one_query_and_one_batch_get_whatever_the_albums_size(alice, many, size):
    album = filled_album(alice, many[:size])
    filled_album(alice, many, "Another album, more rows in the table")

    with count_dynamodb_calls() as log:
        page = album_selectors.album_photo_page(album_id=album.album_id, viewer=alice, limit=5)

    assert len(page.items) == 5
    assert log.operations == ["Query", "BatchGetItem"]
    assert log.items == 5 + 5
    # The Query reads this album's partition through the position index, with a Limit.
    query = log.requests[0]
    assert query["IndexName"] == "by_position" and query["Limit"] == 5
    assert query["TableName"].endswith(AlbumItem.Meta.table)


@pytest.mark.parametrize("size", [5, 30])
def test_the_owners_album_page_costs_the_same_for_any_album(alice_client, alice, many, size):
    album = filled_album(alice, many[:size])

    with count_dynamodb_calls() as log:
        response = alice_client.get(reverse("gallery:album_detail", args=[album.album_id]))

    assert response.status_code == 200
    # The session and the user's standing (every signed-in page), the album, its items, their
    # photos.
    assert log.operations == ["GetItem", "GetItem", "GetItem", "Query", "BatchGetItem"]
    assert log.items == 1 + 1 + 2 * size  # a page holds up to 60: all of these


def test_my_albums_costs_one_query_and_one_batch_get_of_covers(alice_client, alice, many):
    for n in range(4):
        filled_album(alice, many[n * 3 : n * 3 + 3], f"A{n}")
    albums.album_create(actor=alice, title="No cover")

    with count_dynamodb_calls() as log:
        response = alice_client.get(reverse("gallery:album_list"))

    assert response.status_code == 200
    assert log.operations == ["GetItem", "GetItem", "Query", "BatchGetItem"]
    assert log.items == 1 + 5 + 4  # the session, the albums, the covers
    assert "Scan" not in log.operations


def test_my_albums_lists_the_owners_albums_newest_first_and_no_one_elses(alice, bob):
    older = albums.album_create(actor=alice, title="Older")
    newer = albums.album_create(actor=alice, title="Newer")
    albums.album_create(actor=bob, title="Bob's")

    page = album_selectors.album_list_owner(owner=alice)

    assert [row.album.album_id for row in page.items] == [newer.album_id, older.album_id]


def test_a_cover_the_owner_no_longer_may_see_is_left_out(alice, many):
    filled_album(alice, many[:2])
    many[0].delete(add_version_condition=False)

    (row,) = album_selectors.album_list_owner(owner=alice).items

    assert row.album.cover_photo_id == many[0].photo_id and row.cover is None


def test_an_album_is_its_owners_alone(alice, bob, many):
    album = filled_album(alice, many[:1])

    assert (
        album_selectors.album_get_for_owner(album_id=album.album_id, viewer=alice).title == "Album"
    )
    for viewer in (bob, AnonymousUser()):
        with pytest.raises(NotFound):
            album_selectors.album_get_for_owner(album_id=album.album_id, viewer=viewer)
    with pytest.raises(NotFound):
        album_selectors.album_get(album_id="missing")
    assert isinstance(album_selectors.album_get(album_id=album.album_id), Album)


def test_no_album_page_or_endpoint_calls_scan(alice_client, alice, many):
    album = filled_album(alice, many[:3])
    a, b, c = (p.photo_id for p in many[:3])
    base = f"/api/albums/{album.album_id}"
    page = reverse("gallery:album_detail", args=[album.album_id])

    with count_dynamodb_calls() as log:
        for path in [
            reverse("gallery:album_list"),
            page,
            reverse("gallery:album_delete", args=[album.album_id]),
            reverse("gallery:album_choose") + f"?photo_id={a}",
            "/api/albums",
            base,
        ]:
            assert alice_client.get(path).status_code == 200, path
        alice_client.post(reverse("gallery:album_list"), {"title": "New", "photo_id": [a]})
        alice_client.post(
            reverse("gallery:album_move", args=[album.album_id]), {"photo_id": c, "before": a}
        )
        alice_client.post(reverse("gallery:album_cover", args=[album.album_id]), {"photo_id": b})
        alice_client.post(reverse("gallery:album_remove", args=[album.album_id]), {"photo_id": b})
        alice_client.post(reverse("gallery:album_add", args=[album.album_id]), {"photo_id": b})
        alice_client.post(
            reverse("gallery:album_edit", args=[album.album_id]), {"title": "T", "version": 1}
        )
        alice_client.post(f"{base}/items/{a}/move", {"after": c}, content_type="application/json")
        services.photo_delete(photo_id=a, actor=alice)
        alice_client.post(reverse("gallery:album_delete", args=[album.album_id]))

    assert len(log.operations) > 30
    assert "Scan" not in log.operations
