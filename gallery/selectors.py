"""Reads of the gallery: every one a GetItem, BatchGetItem or a Query on a key, never a Scan."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.expressions.condition import Condition

from gallery import policy, search_terms
from gallery.cursors import TEXT, cursor_decode, cursor_encode
from gallery.errors import NotFound, gettext_noop
from gallery.models import (
    FEED_PARTITION,
    STATUS_PENDING,
    STATUS_PROCESSING,
    Comment,
    Photo,
    SearchTerm,
    ShareLink,
)
from gallery.paging import Page, cursor_scope, page_query, time_range

PAGE_SIZE = 24
COMMENT_PAGE_SIZE = 100
# Name search reads the driving term's partition in batches; a page gives up after this many
# batches and hands back a cursor, so one request's cost stays bounded whatever the data.
SEARCH_BATCH = 60
SEARCH_MAX_ROUNDS = 5

NO_SUCH_PHOTO = gettext_noop("No such photo.")


def photo_get_visible(*, photo_id: str) -> Photo:
    """Return the photo if the public may see it; NotFound if it is missing, pending or hidden.

    Pages turn the NotFound into their 404 page, the API into its 404 JSON.
    """
    try:
        photo = Photo.get(photo_id)
    except Photo.DoesNotExist:
        raise NotFound(NO_SUCH_PHOTO) from None
    if not photo.is_visible:
        raise NotFound(NO_SUCH_PHOTO)
    return photo


def photo_get_for_viewer(*, photo_id: str, viewer: Any) -> Photo:
    """Return the photo if this viewer may open it (gallery.policy.may_view): a visible photo
    for anyone, a hidden one for its owner and moderators; NotFound otherwise, so a stranger
    cannot tell a hidden photo from a missing one."""
    try:
        photo = Photo.get(photo_id)
    except Photo.DoesNotExist:
        raise NotFound(NO_SUCH_PHOTO) from None
    if not policy.may_view(viewer=viewer, photo=photo):
        raise NotFound(NO_SUCH_PHOTO)
    return photo


def photo_get_latest(*, photo_id: str) -> Photo:
    """Return the latest version of a published photo (visible or hidden) for a change to act
    on, read consistently; NotFound if it is missing or still a pending upload."""
    try:
        photo = Photo.get(photo_id, consistent_read=True)
    except Photo.DoesNotExist:
        raise NotFound(NO_SUCH_PHOTO) from None
    if photo.status in (STATUS_PENDING, STATUS_PROCESSING):
        raise NotFound(NO_SUCH_PHOTO)
    return photo


def photo_list_feed(
    *,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
    date_from: datetime | None = None,
    date_to: datetime | None = None,
) -> Page[Photo]:
    """Return visible photos, newest first, optionally within a time range; one Query a page."""
    if date_from is None and date_to is None:
        scope, condition = "feed", None
    else:
        scope = cursor_scope("feed", date_from, date_to)
        condition = photo_time_range(date_from, date_to)
    return page_query(
        Photo.feed_index.query,
        FEED_PARTITION,
        condition,
        scope=scope,
        cursor=cursor,
        limit=limit,
    )


def photo_time_range(date_from: datetime | None, date_to: datetime | None) -> Condition | None:
    """Return the key condition of photos uploaded in the range, or None for no range."""
    if date_from is None and date_to is None:
        return None
    return Photo.sort_key.between(*time_range(date_from, date_to))


def photo_list_owner(
    *, owner_sub: str, cursor: str | None = None, limit: int = PAGE_SIZE
) -> Page[Photo]:
    """Return one user's photos, newest first; one Query a page."""
    return page_query(
        Photo.owner_index.query,
        owner_sub,
        scope=f"owner:{owner_sub}",
        cursor=cursor,
        limit=limit,
    )


def photo_search(
    *,
    q: str = "",
    date_from: datetime | None = None,
    date_to: datetime | None = None,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> Page[Photo]:
    """Return visible photos whose name matches `q` and time lies in the range, newest first.

    Without a name this is the feed's range query. With one: read the most selective term's
    partition newest first (sort key BETWEEN the range), keep candidates that also carry every
    other term (BatchGet on the term keys), BatchGet the photos, and let `matches()` drop the
    false positives that bigrams and prefixes let through.
    """
    terms = search_terms.query_terms(q) if q else []
    if q and not terms:
        return Page()  # only punctuation or spaces: nothing can match
    if not terms:
        return photo_list_feed(cursor=cursor, limit=limit, date_from=date_from, date_to=date_to)
    scope = cursor_scope("search", date_from, date_to, q)
    position = cursor_decode(cursor, scope=scope, shape={"before": TEXT})
    lower, upper = time_range(date_from, date_to)
    if position:
        upper = position["before"]
    exclusive = position is not None
    driver = max(terms, key=_selectivity)
    others = [term for term in terms if term != driver]

    found: list[Photo] = []
    for _round in range(SEARCH_MAX_ROUNDS):
        wanted = SEARCH_BATCH + (1 if exclusive else 0)
        batch = [
            hit
            for hit in SearchTerm.query(
                driver,
                SearchTerm.sort_key.between(lower, upper),
                scan_index_forward=False,
                limit=wanted,
                page_size=wanted,
            )
            if not (exclusive and hit.sort_key == upper)
        ]
        exhausted = len(batch) < SEARCH_BATCH
        for hit, photo in _search_confirm(batch, others=others, q=q):
            if photo is not None:
                found.append(photo)
                if len(found) == limit:
                    more = not exhausted or hit is not batch[-1]
                    return Page(
                        items=found,
                        cursor=_search_cursor(hit.sort_key, scope) if more else None,
                    )
        if exhausted:
            return Page(items=found, cursor=None)
        upper, exclusive = batch[-1].sort_key, True
    return Page(items=found, cursor=_search_cursor(upper, scope))


def _search_confirm(
    batch: list[SearchTerm], *, others: list[str], q: str
) -> list[tuple[SearchTerm, Photo | None]]:
    """Pair each hit with its photo when the photo carries every term and truly matches."""
    candidates = batch
    for term in others:
        if not candidates:
            break
        present = {
            item.sort_key
            for item in SearchTerm.batch_get(
                [(term, hit.sort_key) for hit in candidates], attributes_to_get=["term", "sort_key"]
            )
        }
        candidates = [hit for hit in candidates if hit.sort_key in present]
    photos = (
        {photo.photo_id: photo for photo in Photo.batch_get([hit.photo_id for hit in candidates])}
        if candidates
        else {}
    )
    kept = {hit.sort_key for hit in candidates}
    paired: list[tuple[SearchTerm, Photo | None]] = []
    for hit in batch:
        photo = photos.get(hit.photo_id) if hit.sort_key in kept else None
        if photo is not None and not (photo.is_visible and search_terms.matches(photo.name, q)):
            photo = None
        paired.append((hit, photo))
    return paired


def _selectivity(term: str) -> int:
    """Guess how rare a term is: longer prefixes are rarer; a CJK pair is rare like a long word."""
    kind, text = term[:2], term[2:]
    return len(text) * (3 if kind == search_terms.CJK else 1)


def _search_cursor(before: str, scope: str) -> str | None:
    return cursor_encode({"before": before}, scope=scope)


def comment_list_timeline(
    *, photo_id: str, cursor: str | None = None, limit: int = COMMENT_PAGE_SIZE
) -> Page[Comment]:
    """Return the comments the public sees on a photo (hidden ones left out), oldest first;
    one Query a page."""
    return page_query(
        Comment.query,
        photo_id,
        scope=f"comments:{photo_id}",
        cursor=cursor,
        limit=limit,
        oldest_first=True,
        keep=lambda comment: not comment.hidden,
    )


def comment_get_latest(*, photo_id: str, created_key: str) -> Comment:
    """Return a comment's latest version for a change to act on, read consistently; NotFound
    if there is no such comment."""
    try:
        return Comment.get(photo_id, created_key, consistent_read=True)
    except Comment.DoesNotExist:
        raise NotFound(gettext_noop("No such comment.")) from None


def share_link_list_for_owner(*, owner_sub: str, limit: int = 100) -> list[ShareLink]:
    """Return one user's share links, newest first (expired ones included until TTL removes
    them, so the page can say they expired)."""
    return list(ShareLink.owner_index.query(owner_sub, scan_index_forward=False, limit=limit))
