"""Reads of the gallery: every one a GetItem, BatchGetItem or a Query on a key, never a Scan."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

from gallery import search_terms
from gallery.cursors import cursor_decode, cursor_encode
from gallery.models import FEED_PARTITION, Comment, Photo, SearchTerm, ShareLink

PAGE_SIZE = 24
COMMENT_PAGE_SIZE = 100
# Name search reads the driving term's partition in batches; a page gives up after this many
# batches and hands back a cursor, so one request's cost stays bounded whatever the data.
SEARCH_BATCH = 60
SEARCH_MAX_ROUNDS = 5
_LOWEST = "0"
_HIGHEST = "~"  # sorts after every character of an ISO date and of a token_urlsafe id


@dataclass(frozen=True)
class PhotoPage:
    """One page of photos and the cursor of the next page (None at the end)."""

    items: list[Photo] = field(default_factory=list)
    cursor: str | None = None


@dataclass(frozen=True)
class CommentPage:
    """One page of a photo's comments, oldest first, and the cursor of the next page."""

    items: list[Comment] = field(default_factory=list)
    cursor: str | None = None


def photo_get(*, photo_id: str) -> Photo | None:
    """Return the photo with this id, or None."""
    try:
        return Photo.get(photo_id)
    except Photo.DoesNotExist:
        return None


def time_bound(moment: datetime | None, *, upper: bool) -> str | None:
    """Return the sort-key bound of a moment: every photo at that instant falls inside."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("time bounds must be timezone-aware")
    text = f"{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%S.%fZ}"
    return text + "#" + _HIGHEST if upper else text


def photo_list_feed(
    *,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
    date_from: datetime | None = None,
    date_to: datetime | None = None,
) -> PhotoPage:
    """Return visible photos, newest first, optionally within a time range; one Query a page."""
    scope = "feed" if date_from is None and date_to is None else _scope("feed", date_from, date_to)
    condition = None
    if scope != "feed":
        condition = Photo.sort_key.between(
            time_bound(date_from, upper=False) or _LOWEST,
            time_bound(date_to, upper=True) or _HIGHEST,
        )
    results = Photo.feed_index.query(
        FEED_PARTITION,
        condition,
        scan_index_forward=False,
        limit=limit,
        page_size=limit,
        last_evaluated_key=cursor_decode(cursor, scope=scope),
    )
    items = list(results)
    return PhotoPage(items=items, cursor=cursor_encode(results.last_evaluated_key, scope=scope))


def photo_list_owner(
    *, owner_sub: str, cursor: str | None = None, limit: int = PAGE_SIZE
) -> PhotoPage:
    """Return one user's photos, newest first; one Query a page."""
    scope = f"owner:{owner_sub}"
    results = Photo.owner_index.query(
        owner_sub,
        scan_index_forward=False,
        limit=limit,
        page_size=limit,
        last_evaluated_key=cursor_decode(cursor, scope=scope),
    )
    items = list(results)
    return PhotoPage(items=items, cursor=cursor_encode(results.last_evaluated_key, scope=scope))


def photo_search(
    *,
    q: str = "",
    date_from: datetime | None = None,
    date_to: datetime | None = None,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> PhotoPage:
    """Return visible photos whose name matches `q` and time lies in the range, newest first.

    Without a name this is the feed's range query. With one: read the most selective term's
    partition newest first (sort key BETWEEN the range), keep candidates that also carry every
    other term (BatchGet on the term keys), BatchGet the photos, and let `matches()` drop the
    false positives that bigrams and prefixes let through.
    """
    terms = search_terms.query_terms(q) if q else []
    if q and not terms:
        return PhotoPage()  # only punctuation or spaces: nothing can match
    if not terms:
        return photo_list_feed(cursor=cursor, limit=limit, date_from=date_from, date_to=date_to)
    scope = _scope("search", date_from, date_to, q)
    position = cursor_decode(cursor, scope=scope)
    lower = time_bound(date_from, upper=False) or _LOWEST
    upper = position["before"] if position else (time_bound(date_to, upper=True) or _HIGHEST)
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
                    return PhotoPage(
                        items=found,
                        cursor=_search_cursor(hit.sort_key, scope) if more else None,
                    )
        if exhausted:
            return PhotoPage(items=found, cursor=None)
        upper, exclusive = batch[-1].sort_key, True
    return PhotoPage(items=found, cursor=_search_cursor(upper, scope))


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


def _scope(kind: str, *parts: object) -> str:
    """Return a cursor scope tied to the query, so a cursor cannot page another query."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:16]
    return f"{kind}:{digest}"


def _search_cursor(before: str, scope: str) -> str | None:
    return cursor_encode({"before": before}, scope=scope)


def comment_list_for_photo(
    *, photo_id: str, cursor: str | None = None, limit: int = COMMENT_PAGE_SIZE
) -> CommentPage:
    """Return a photo's comments as a timeline, oldest first; one Query a page."""
    scope = f"comments:{photo_id}"
    results = Comment.query(
        photo_id,
        scan_index_forward=True,
        limit=limit,
        page_size=limit,
        last_evaluated_key=cursor_decode(cursor, scope=scope),
    )
    items = [comment for comment in results if not comment.hidden]
    return CommentPage(items=items, cursor=cursor_encode(results.last_evaluated_key, scope=scope))


def comment_get(*, photo_id: str, created_key: str) -> Comment | None:
    """Return one comment, or None."""
    try:
        return Comment.get(photo_id, created_key)
    except Comment.DoesNotExist:
        return None


def share_link_list_for_owner(*, owner_sub: str, limit: int = 100) -> list[ShareLink]:
    """Return one user's share links, newest first (expired ones included until TTL removes
    them, so the page can say they expired)."""
    return list(ShareLink.owner_index.query(owner_sub, scan_index_forward=False, limit=limit))
