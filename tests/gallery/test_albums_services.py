"""Album writes (gallery.services.albums): what each does, that a repeat changes nothing, and
that bad input is refused. The races (real threads) are in tests/data/test_album_races.py, on
moto and on DynamoDB Local."""

from __future__ import annotations

import pytest

from gallery import album_selectors, services
from gallery.errors import Conflict, Forbidden, Invalid, NotFound
from gallery.models import Album, AlbumItem
from gallery.services import albums

from .conftest import count_dynamodb_calls, png, table_count


@pytest.fixture
def photos(make_photo):
    return [make_photo(f"Photo {n}", data=png(8, 6)) for n in range(4)]


@pytest.fixture
def album(alice):
    return albums.album_create(actor=alice, title="Holiday 假期", description="Two weeks")


def order(album_id: str) -> list[str]:
    return [item.photo_id for item in album_selectors.album_item_page(album_id=album_id).items]


def stored(album_id: str) -> Album:
    return Album.get(album_id, consistent_read=True)


# --- albums -----------------------------------------------------------------------------------


def test_an_album_is_made_with_its_title_and_description_and_no_photos(alice, album):
    saved = stored(album.album_id)

    assert (saved.owner_sub, saved.title, saved.description) == (
        "sub-alice",
        "Holiday 假期",
        "Two weeks",
    )
    assert saved.item_count == 0 and saved.cover_photo_id is None


def test_creating_again_with_the_same_request_token_finds_the_first_album(alice):
    first = albums.album_create(actor=alice, title="Once", request_token="token-123456")
    again = albums.album_create(actor=alice, title="Once", request_token="token-123456")

    assert again.album_id == first.album_id
    assert table_count(Album) == 1


def test_two_owners_with_the_same_token_get_two_albums(alice, bob):
    mine = albums.album_create(actor=alice, title="A", request_token="same-token")
    theirs = albums.album_create(actor=bob, title="B", request_token="same-token")

    assert mine.album_id != theirs.album_id
    assert stored(theirs.album_id).owner_sub == "sub-bob"


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("", "title_required"),
        ("   ", "title_required"),
        ("x" * 201, "title_too_long"),
        ("bell\x07", "control_characters"),
    ],
)
def test_a_bad_title_is_refused_and_nothing_is_written(alice, title, code):
    with pytest.raises(Invalid) as refused:
        albums.album_create(actor=alice, title=title)

    assert refused.value.code == code and refused.value.status == 400
    assert table_count(Album) == 0


def test_a_huge_description_or_a_malformed_token_is_refused(alice):
    with pytest.raises(Invalid) as long_text:
        albums.album_create(actor=alice, title="T", description="d" * 2001)
    with pytest.raises(Invalid) as token:
        albums.album_create(actor=alice, title="T", request_token="no spaces allowed")

    assert (long_text.value.code, token.value.code) == ("description_too_long", "bad_request_token")
    assert table_count(Album) == 0


def test_a_signed_out_visitor_cannot_make_an_album(aws_stack):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Forbidden):
        albums.album_create(actor=AnonymousUser(), title="T")


def test_renaming_needs_the_version_that_was_read(alice, album):
    renamed = albums.album_update(
        album_id=album.album_id, actor=alice, title="Summer", description="", expected_version=1
    )

    assert (stored(album.album_id).title, renamed.version) == ("Summer", 2)
    with pytest.raises(Conflict):
        albums.album_update(
            album_id=album.album_id, actor=alice, title="Stale", description="", expected_version=1
        )
    assert stored(album.album_id).title == "Summer"


def test_someone_elses_album_does_not_exist_for_them(bob, album):
    with pytest.raises(NotFound):
        albums.album_update(
            album_id=album.album_id, actor=bob, title="Mine", description="", expected_version=1
        )
    with pytest.raises(NotFound):
        albums.album_delete(album_id=album.album_id, actor=bob)
    assert stored(album.album_id).title == "Holiday 假期"


def test_deleting_an_album_removes_its_items_but_not_its_photos(alice, album, photos):
    albums.album_items_add(
        album_id=album.album_id, photo_ids=[p.photo_id for p in photos], actor=alice
    )

    albums.album_delete(album_id=album.album_id, actor=alice)

    assert table_count(Album) == 0 and table_count(AlbumItem) == 0
    assert album_selectors.album_photo_page(album_id=album.album_id).items == []
    with pytest.raises(NotFound):
        albums.album_delete(album_id=album.album_id, actor=alice)  # a repeat: already gone


# --- items ------------------------------------------------------------------------------------


def test_photos_go_in_at_the_end_in_the_order_added_and_the_first_is_the_cover(
    alice, album, photos
):
    for photo in photos:
        assert albums.album_item_add(album_id=album.album_id, photo_id=photo.photo_id, actor=alice)

    assert order(album.album_id) == [p.photo_id for p in photos]
    saved = stored(album.album_id)
    assert saved.item_count == 4 and saved.cover_photo_id == photos[0].photo_id


def test_adding_a_photo_twice_makes_one_item(alice, album, photos):
    assert albums.album_item_add(album_id=album.album_id, photo_id=photos[0].photo_id, actor=alice)
    assert not albums.album_item_add(
        album_id=album.album_id, photo_id=photos[0].photo_id, actor=alice
    )

    assert table_count(AlbumItem) == 1 and stored(album.album_id).item_count == 1


def test_someone_elses_photo_is_refused_with_403(bob, make_photo):
    theirs = albums.album_create(actor=bob, title="Bob's")
    photo = make_photo("Alice's")

    with pytest.raises(Forbidden) as refused:
        albums.album_item_add(album_id=theirs.album_id, photo_id=photo.photo_id, actor=bob)

    assert refused.value.code == "not_your_photo" and refused.value.status == 403
    assert table_count(AlbumItem) == 0 and stored(theirs.album_id).item_count == 0


def test_a_missing_photo_or_album_is_refused_with_404(alice, album, photos):
    with pytest.raises(NotFound):
        albums.album_item_add(album_id=album.album_id, photo_id="no-such-photo", actor=alice)
    with pytest.raises(NotFound):
        albums.album_item_add(album_id="no-such-album", photo_id=photos[0].photo_id, actor=alice)
    assert table_count(AlbumItem) == 0


def test_a_full_album_refuses_another_photo(alice, album, photos, monkeypatch):
    monkeypatch.setattr(albums, "ALBUM_MAX_ITEMS", 2)
    albums.album_items_add(
        album_id=album.album_id, photo_ids=[photos[0].photo_id, photos[1].photo_id], actor=alice
    )

    with pytest.raises(Invalid) as refused:
        albums.album_item_add(album_id=album.album_id, photo_id=photos[2].photo_id, actor=alice)

    assert refused.value.code == "album_full"
    assert stored(album.album_id).item_count == 2 and table_count(AlbumItem) == 2


def test_adding_in_bulk_reports_what_went_in_what_was_there_and_what_was_refused(
    alice, album, photos, make_photo
):
    albums.album_item_add(album_id=album.album_id, photo_id=photos[0].photo_id, actor=alice)
    bobs = make_photo("Bob's", owner_sub="sub-bob", owner_name="Bob")

    result = albums.album_items_add(
        album_id=album.album_id,
        photo_ids=[
            photos[0].photo_id,
            photos[1].photo_id,
            bobs.photo_id,
            "gone",
            photos[1].photo_id,
        ],
        actor=alice,
    )

    assert result.added == [photos[1].photo_id] and result.present == [photos[0].photo_id]
    assert [(photo_id, exc.status) for photo_id, exc in result.refused] == [
        (bobs.photo_id, 403),
        ("gone", 404),
    ]
    assert stored(album.album_id).item_count == 2


def test_bulk_adding_nothing_or_too_much_is_refused(alice, album):
    with pytest.raises(Invalid):
        albums.album_items_add(album_id=album.album_id, photo_ids=[], actor=alice)
    with pytest.raises(Invalid) as too_many:
        albums.album_items_add(
            album_id=album.album_id, photo_ids=[f"p{n}" for n in range(101)], actor=alice
        )
    assert too_many.value.code == "too_many_photos"


def test_removing_a_photo_uncounts_it_and_a_repeat_does_nothing(alice, album, photos):
    albums.album_items_add(
        album_id=album.album_id, photo_ids=[p.photo_id for p in photos[:2]], actor=alice
    )

    assert albums.album_item_remove(
        album_id=album.album_id, photo_id=photos[1].photo_id, actor=alice
    )
    assert not albums.album_item_remove(
        album_id=album.album_id, photo_id=photos[1].photo_id, actor=alice
    )

    assert order(album.album_id) == [photos[0].photo_id]
    assert stored(album.album_id).item_count == 1


def test_removing_the_cover_leaves_the_album_without_one(alice, album, photos):
    albums.album_items_add(
        album_id=album.album_id, photo_ids=[p.photo_id for p in photos[:2]], actor=alice
    )

    albums.album_item_remove(album_id=album.album_id, photo_id=photos[0].photo_id, actor=alice)

    assert stored(album.album_id).cover_photo_id is None


def test_deleting_a_photo_for_good_takes_it_out_of_every_album(alice, photos):
    first = albums.album_create(actor=alice, title="One")
    second = albums.album_create(actor=alice, title="Two")
    for album in (first, second):
        albums.album_items_add(
            album_id=album.album_id, photo_ids=[p.photo_id for p in photos[:2]], actor=alice
        )

    services.photo_delete(photo_id=photos[0].photo_id, actor=alice)  # to the trash: kept
    assert order(first.album_id) == [p.photo_id for p in photos[:2]]
    services.photo_delete_forever(photo_id=photos[0].photo_id, actor=alice)

    for album in (first, second):
        assert order(album.album_id) == [photos[1].photo_id]
        assert stored(album.album_id).item_count == 1
        assert stored(album.album_id).cover_photo_id is None
    assert albums.album_items_forget_photo(photo_id=photos[0].photo_id) == 0  # idempotent


# --- order and cover --------------------------------------------------------------------------


@pytest.fixture
def filled(alice, album, photos):
    albums.album_items_add(
        album_id=album.album_id, photo_ids=[p.photo_id for p in photos], actor=alice
    )
    return [p.photo_id for p in photos]


def test_a_photo_moves_after_another_and_only_its_item_is_rewritten(alice, album, filled):
    a, b, c, d = filled
    before = {item.photo_id: item.position for item in AlbumItem.query(album.album_id)}

    assert albums.album_item_move(album_id=album.album_id, photo_id=a, actor=alice, after=c)

    assert order(album.album_id) == [b, c, a, d]
    after = {item.photo_id: item.position for item in AlbumItem.query(album.album_id)}
    assert {pid for pid in filled if before[pid] != after[pid]} == {a}


def test_a_photo_moves_before_another_to_the_front_and_to_the_end(alice, album, filled):
    a, b, c, d = filled

    albums.album_item_move(album_id=album.album_id, photo_id=d, actor=alice, before=a)
    assert order(album.album_id) == [d, a, b, c]
    albums.album_item_move(album_id=album.album_id, photo_id=d, actor=alice, after=c)
    assert order(album.album_id) == [a, b, c, d]


def test_a_repeated_move_finds_the_photo_in_place_and_does_nothing(alice, album, filled):
    a, b, c, d = filled
    assert albums.album_item_move(album_id=album.album_id, photo_id=c, actor=alice, before=b)

    assert not albums.album_item_move(album_id=album.album_id, photo_id=c, actor=alice, before=b)
    assert order(album.album_id) == [a, c, b, d]


@pytest.mark.parametrize("where", [{}, {"after": "x", "before": "y"}, {"after": "SELF"}])
def test_a_move_must_name_one_other_photo(alice, album, filled, where):
    where = {k: (filled[0] if v == "SELF" else v) for k, v in where.items()}
    with pytest.raises(Invalid):
        albums.album_item_move(album_id=album.album_id, photo_id=filled[0], actor=alice, **where)


def test_a_move_relative_to_a_photo_outside_the_album_is_404(alice, album, filled):
    with pytest.raises(NotFound) as refused:
        albums.album_item_move(
            album_id=album.album_id, photo_id=filled[0], actor=alice, after="nope"
        )
    assert refused.value.code == "not_in_album"


def test_the_cover_is_any_photo_of_the_album_and_only_one_of_it(alice, album, filled, make_photo):
    albums.album_cover_set(album_id=album.album_id, photo_id=filled[2], actor=alice)
    albums.album_cover_set(album_id=album.album_id, photo_id=filled[2], actor=alice)

    assert stored(album.album_id).cover_photo_id == filled[2]
    outside = make_photo("Not in it")
    with pytest.raises(NotFound):
        albums.album_cover_set(album_id=album.album_id, photo_id=outside.photo_id, actor=alice)
    assert stored(album.album_id).cover_photo_id == filled[2]


def test_picking_the_cover_does_not_make_an_open_rename_form_stale(alice, album, filled):
    albums.album_cover_set(album_id=album.album_id, photo_id=filled[1], actor=alice)

    albums.album_update(
        album_id=album.album_id, actor=alice, title="Still fine", description="", expected_version=1
    )
    assert stored(album.album_id).title == "Still fine"


def test_removing_the_cover_keeps_the_albums_version_for_an_open_rename_form(alice, album, photos):
    albums.album_update(
        album_id=album.album_id, actor=alice, title="Two", description="", expected_version=1
    )
    albums.album_items_add(
        album_id=album.album_id, photo_ids=[p.photo_id for p in photos[:2]], actor=alice
    )

    albums.album_item_remove(album_id=album.album_id, photo_id=photos[0].photo_id, actor=alice)

    assert stored(album.album_id).version == 2
    with pytest.raises(Conflict):  # a form read at version 1 is still stale
        albums.album_update(
            album_id=album.album_id, actor=alice, title="Stale", description="", expected_version=1
        )


def test_adding_in_bulk_reads_once_then_writes_one_transaction_a_photo(alice, album, photos):
    with count_dynamodb_calls() as log:
        albums.album_items_add(
            album_id=album.album_id, photo_ids=[p.photo_id for p in photos], actor=alice
        )

    assert log.operations == ["GetItem", "BatchGetItem", "Query"] + ["TransactWriteItems"] * 4
    assert order(album.album_id) == [p.photo_id for p in photos]
