"""Album writes racing each other (real threads released together), on moto and on DynamoDB
Local: DynamoDB Local applies conditions atomically and cancels colliding transactions
(TransactionConflict), as DynamoDB does, so a race there is a real one."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from gallery import album_selectors, services
from gallery.errors import Conflict
from gallery.models import Album, AlbumItem
from gallery.services import albums
from tests.accounts.users import site_user
from tests.gallery.conftest import png

ALICE = site_user("sub-alice", "Alice", ("members",))


def together(count: int, call) -> list:
    """Run `call(n)` in `count` threads released at once; return each result or error."""
    start = threading.Barrier(count)

    def run(n: int):
        start.wait(timeout=30)
        try:
            return call(n)
        except Exception as exc:  # the test counts outcomes; an unexpected error fails it
            return exc

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def photo(name: str):
    return services.photo_create(
        owner_sub="sub-alice", owner_name="Alice", name=name, data=png(8, 6), uploader_ip=""
    )


def order(album_id: str) -> list[str]:
    return [i.photo_id for i in album_selectors.album_item_page(album_id=album_id).items]


def stored(album_id: str) -> Album:
    return Album.get(album_id, consistent_read=True)


@pytest.fixture
def album(aws_stack, ddb_backend):
    return albums.album_create(actor=ALICE, title="Race")


def test_a_double_click_on_make_album_makes_one(aws_stack, ddb_backend):
    made = together(
        6, lambda n: albums.album_create(actor=ALICE, title="Once", request_token="double-click")
    )

    assert len({album.album_id for album in made}) == 1
    assert sum(1 for _ in Album.scan()) == 1


def test_one_photo_added_from_many_threads_is_one_item_counted_once(album):
    pic = photo("One")

    added = together(
        8,
        lambda n: albums.album_item_add(
            album_id=album.album_id, photo_id=pic.photo_id, actor=ALICE
        ),
    )

    assert sorted(added, key=str) == [False] * 7 + [True]
    assert order(album.album_id) == [pic.photo_id]
    assert stored(album.album_id).item_count == 1


def test_different_photos_added_at_once_are_each_counted(album):
    pics = [photo(f"P{n}") for n in range(5)]

    added = together(
        5,
        lambda n: albums.album_item_add(
            album_id=album.album_id, photo_id=pics[n].photo_id, actor=ALICE
        ),
    )

    assert added == [True] * 5
    assert sorted(order(album.album_id)) == sorted(p.photo_id for p in pics)
    assert stored(album.album_id).item_count == 5
    assert stored(album.album_id).cover_photo_id in {p.photo_id for p in pics}


def test_one_photo_removed_from_many_threads_is_uncounted_once(album):
    pics = [photo("A"), photo("B")]
    albums.album_items_add(
        album_id=album.album_id, photo_ids=[p.photo_id for p in pics], actor=ALICE
    )

    removed = together(
        6,
        lambda n: albums.album_item_remove(
            album_id=album.album_id, photo_id=pics[0].photo_id, actor=ALICE
        ),
    )

    assert sorted(removed, key=str) == [False] * 5 + [True]
    assert order(album.album_id) == [pics[1].photo_id]
    assert stored(album.album_id).item_count == 1


def test_renames_from_one_version_let_exactly_one_win(album):
    outcomes = together(
        6,
        lambda n: albums.album_update(
            album_id=album.album_id, actor=ALICE, title=f"T{n}", description="", expected_version=1
        ),
    )

    assert sum(isinstance(o, Album) for o in outcomes) == 1
    assert all(isinstance(o, Album | Conflict) for o in outcomes)
    assert stored(album.album_id).version == 2


def test_a_move_sent_many_times_at_once_moves_the_photo_once(album):
    a, b, c, d = (photo(n).photo_id for n in "abcd")
    albums.album_items_add(album_id=album.album_id, photo_ids=[a, b, c, d], actor=ALICE)

    outcomes = together(
        5,
        lambda n: albums.album_item_move(
            album_id=album.album_id, photo_id=d, actor=ALICE, before=b
        ),
    )

    # One moved it; the others found it in place, or lost the race and were told to retry.
    assert outcomes.count(True) == 1
    assert all(o is False or o is True or isinstance(o, Conflict) for o in outcomes)
    assert order(album.album_id) == [a, d, b, c]


def test_two_photos_moved_into_one_gap_at_once_both_land_in_it(album):
    a, b, c, d = (photo(n).photo_id for n in "abcd")
    albums.album_items_add(album_id=album.album_id, photo_ids=[a, b, c, d], actor=ALICE)

    outcomes = together(
        2,
        lambda n: albums.album_item_move(
            album_id=album.album_id, photo_id=(c, d)[n], actor=ALICE, after=a
        ),
    )

    assert outcomes == [True, True]
    result = order(album.album_id)
    assert result[0] == a and set(result[1:3]) == {c, d} and result[3] == b
    assert len({item.position for item in AlbumItem.query(album.album_id)}) == 4


def test_adding_while_the_album_is_deleted_leaves_no_item_behind(album):
    pics = [photo(f"P{n}") for n in range(4)]

    def act(n: int):
        if n == 0:
            return albums.album_delete(album_id=album.album_id, actor=ALICE)
        return albums.album_item_add(
            album_id=album.album_id, photo_id=pics[n].photo_id, actor=ALICE
        )

    together(4, act)

    assert sum(1 for _ in Album.scan()) == 0
    # An add either committed before the deletion (whose item query then removed it) or failed
    # on the album's absence.
    assert sum(1 for _ in AlbumItem.scan()) == 0
