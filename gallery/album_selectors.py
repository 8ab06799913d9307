"""Reads of albums: an owner's albums, one album, and a page of an album's photos as cards.

Each is a GetItem, a Query on a key or a BatchGetItem, never a Scan, and a page costs the same
whatever the album's size or the table's: one Query of at most `limit` items, one BatchGetItem
of their photos (and one GetItem of the album).

An album's page shows each photo by the rule of its own page (gallery.policy.may_view): a
photo this viewer may not open, or one deleted since it was added, is left out of the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser

from gallery import policy
from gallery.cursors import cursor_encode
from gallery.errors import NotFound, gettext_noop
from gallery.models import Album, AlbumItem, Photo
from gallery.paging import Page, page_query, page_start
from gallery.selectors import PhotoCard

ALBUM_PAGE_SIZE = 24
ALBUM_LIST_PAGE_SIZE = 24
# The owner's page of one album: a long page, so most albums are ordered on one page.
ALBUM_EDIT_PAGE_SIZE = 60

NO_SUCH_ALBUM = gettext_noop("No such album.")
# Longer than any album id; DynamoDB would answer a key over 2 KB with an error.
ID_MAX_CHARS = 64


def album_get(*, album_id: str) -> Album:
    """Return an album whoever owns it (a share link's page decides who may see it);
    NotFound if there is none."""
    if not 0 < len(album_id) <= ID_MAX_CHARS:
        raise NotFound(NO_SUCH_ALBUM)
    try:
        return Album.get(album_id, consistent_read=True)
    except Album.DoesNotExist:
        raise NotFound(NO_SUCH_ALBUM) from None


def album_get_for_owner(*, album_id: str, viewer: Any) -> Album:
    """Return the album if it is this viewer's; NotFound otherwise, so nobody learns that
    someone else's album exists."""
    album = album_get(album_id=album_id)
    if not viewer.is_authenticated or album.owner_sub != viewer.get_username():
        raise NotFound(NO_SUCH_ALBUM)
    return album


@dataclass(frozen=True)
class AlbumSummary:
    """An album in its owner's list: the album and the card of its cover, if it has one the
    owner may still see."""

    album: Album
    cover: PhotoCard | None


def album_list_owner(
    *, owner: Any, cursor: str | None = None, limit: int = ALBUM_LIST_PAGE_SIZE
) -> Page[AlbumSummary]:
    """Return a signed-in user's albums, newest first, with their covers as this user may see
    them: one Query and at most one BatchGetItem a page."""
    owner_sub = owner.get_username()
    page = page_query(
        Album.owner_index.query,
        owner_sub,
        scope=f"albums:{owner_sub}",
        cursor=cursor,
        limit=limit,
    )
    cover_ids = sorted({album.cover_photo_id for album in page.items if album.cover_photo_id})
    covers = _cards(cover_ids, viewer=owner)
    return Page(
        items=[
            AlbumSummary(album=album, cover=covers.get(album.cover_photo_id or ""))
            for album in page.items
        ],
        cursor=page.cursor,
    )


def album_item_page(
    *, album_id: str, cursor: str | None = None, limit: int = ALBUM_PAGE_SIZE
) -> Page[AlbumItem]:
    """Return a page of an album's items in the owner's order: one Query of the `by_position`
    index (strongly consistent, so a move shows on the next page load)."""

    if not 0 < len(album_id) <= ID_MAX_CHARS:
        return Page()
    scope = f"album:{album_id}"
    start = page_start(AlbumItem.position_index.query, album_id, scope=scope, cursor=cursor)
    results = AlbumItem.position_index.query(
        album_id,
        scan_index_forward=True,
        consistent_read=True,
        limit=limit,
        page_size=limit,
        last_evaluated_key=start,
    )
    items = list(results)
    return Page(items=items, cursor=cursor_encode(results.last_evaluated_key, scope=scope))


def album_photo_page(
    *,
    album_id: str,
    viewer: Any = None,
    cursor: str | None = None,
    limit: int = ALBUM_PAGE_SIZE,
) -> Page[PhotoCard]:
    """Return a page of an album's photos, in order, as the gallery's cards, leaving out each
    photo this viewer may not open (gallery.policy.may_view; anonymous when None, as through a
    share link) and each one deleted since: one Query and one BatchGetItem.

    The album's own access is the caller's to check (its owner's page, or a share link). A
    page may hold fewer than `limit` cards; its cursor still goes on after the last item read.
    """
    items = album_item_page(album_id=album_id, cursor=cursor, limit=limit)
    cards = _cards([item.photo_id for item in items.items], viewer=viewer)
    return Page(
        items=[cards[item.photo_id] for item in items.items if item.photo_id in cards],
        cursor=items.cursor,
    )


def _cards(photo_ids: list[str], *, viewer: Any, own: bool = False) -> dict[str, PhotoCard]:
    """Return the cards, by id, of those photos the viewer may open (one BatchGetItem; none
    for no ids); with `own`, of the viewer's own photos only."""
    if not photo_ids:
        return {}
    viewer = viewer if viewer is not None else AnonymousUser()
    cards = {}
    for photo in Photo.batch_get(photo_ids):
        if own and photo.owner_sub != viewer.get_username():
            continue
        if policy.may_view(viewer=viewer, photo=photo):
            cards[photo.photo_id] = PhotoCard.of(photo)
    return cards


def album_candidates(*, owner: Any, photo_ids: list[str]) -> list[PhotoCard]:
    """Return the cards of those photos named that may go in this user's albums (their own,
    as they may open them), in the order named: one BatchGetItem (none for no ids)."""
    wanted = list(dict.fromkeys(photo_ids))
    cards = _cards(wanted, viewer=owner, own=True)
    return [cards[photo_id] for photo_id in wanted if photo_id in cards]


@dataclass(frozen=True)
class AlbumEditPage:
    """A page of the owner's album page: the cards, the cursor, and the photos just outside the
    page (the one before its first item, the one after its last), so the first and last photo
    of a page can move past them too."""

    cards: list[PhotoCard]
    cursor: str | None
    before: str | None
    after: str | None


def album_edit_page(
    *, album_id: str, viewer: Any, cursor: str | None = None, limit: int = ALBUM_EDIT_PAGE_SIZE
) -> AlbumEditPage:
    """Return a page of an album's photos for its owner's page, with its neighbours outside:
    the same Query and BatchGetItem as `album_photo_page`, reading one item more (the one after
    the page; the one before it is the cursor's position). Cursors are `album_photo_page`'s."""
    if not 0 < len(album_id) <= ID_MAX_CHARS:
        return AlbumEditPage(cards=[], cursor=None, before=None, after=None)
    scope = f"album:{album_id}"
    start = page_start(AlbumItem.position_index.query, album_id, scope=scope, cursor=cursor)
    items = list(
        AlbumItem.position_index.query(
            album_id,
            scan_index_forward=True,
            consistent_read=True,
            limit=limit + 1,
            page_size=limit + 1,
            last_evaluated_key=start,
        )
    )
    following = items[limit] if len(items) > limit else None
    items = items[:limit]
    next_cursor = None
    if following is not None:
        last = items[-1]
        next_cursor = cursor_encode(
            {
                "album_id": {"S": last.album_id},
                "photo_id": {"S": last.photo_id},
                "position": {"S": last.position},
            },
            scope=scope,
        )
    cards = _cards([item.photo_id for item in items], viewer=viewer)
    return AlbumEditPage(
        cards=[cards[item.photo_id] for item in items if item.photo_id in cards],
        cursor=next_cursor,
        before=start["photo_id"]["S"] if start else None,
        after=following.photo_id if following else None,
    )
