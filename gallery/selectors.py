"""Reads of the gallery: every one a GetItem, BatchGetItem or a Query on a key, never a Scan."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pynamodb.expressions.condition import Condition
from pynamodb.indexes import GlobalSecondaryIndex

from core import aws
from gallery import policy, search_terms
from gallery.cursors import TEXT, cursor_decode, cursor_encode
from gallery.errors import NotFound, gettext_noop
from gallery.models import (
    FEED_PARTITION,
    STATUS_PENDING,
    STATUS_PROCESSING,
    VISIBILITY_PRIVATE,
    VISIBILITY_PUBLIC,
    Comment,
    Photo,
    RetainedIp,
    SearchTerm,
    ShareLink,
    ShareOpen,
    ip_key,
    time_key,
)
from gallery.paging import Page, cursor_scope, page_query, page_start, time_range

PAGE_SIZE = 24
COMMENT_PAGE_SIZE = 100
SHARE_LINK_PAGE_SIZE = 50
# Name search reads the driving term's partition in batches; a page gives up after this many
# batches and hands back a cursor, so one request's cost stays bounded whatever the data.
SEARCH_BATCH = 60
SEARCH_MAX_ROUNDS = 5

NO_SUCH_PHOTO = gettext_noop("No such photo.")


def photo_get_visible(*, photo_id: str, viewer: Any = None) -> Photo:
    """Return the photo if it is published and not hidden, and this viewer may see it (a
    private one: its owner and moderators; no viewer: the public); NotFound if it is missing,
    pending, hidden or private to someone else.

    Pages turn the NotFound into their 404 page, the API into its 404 JSON.
    """
    try:
        photo = Photo.get(photo_id)
    except Photo.DoesNotExist:
        raise NotFound(NO_SUCH_PHOTO) from None
    if not photo.is_visible:
        raise NotFound(NO_SUCH_PHOTO)
    if viewer is None and photo.audience == VISIBILITY_PRIVATE:
        raise NotFound(NO_SUCH_PHOTO)
    if viewer is not None and not policy.may_view(viewer=viewer, photo=photo):
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


@dataclass(frozen=True)
class PhotoCard:
    """What a card of the grid shows of a photo, and nothing more (templates/gallery/_card.html).

    Frozen and hashable: a card's rendered HTML is cached by it (gallery/grid.py).
    """

    photo_id: str
    name: str
    grid_key: str | None
    width: int | None
    height: int | None
    uploaded_at: datetime
    comment_count: int
    # Visible, or hidden by a moderator (its owner's "My photos" shows it apart, with a badge).
    status: str
    # public, unlisted or private (its owner's "My photos" shows the last two with a badge).
    visibility: str = VISIBILITY_PUBLIC

    @classmethod
    def of(cls, photo: Photo) -> PhotoCard:
        """Return the card of a photo read whole (search results)."""
        return cls(
            photo_id=photo.photo_id,
            name=photo.name,
            grid_key=photo.grid_key,
            width=photo.width,
            height=photo.height,
            uploaded_at=photo.uploaded_at,
            comment_count=photo.comment_count or 0,
            status=photo.status,
            visibility=photo.audience,
        )


# The attributes a card shows; its listings read only these (a ProjectionExpression: the
# response, which botocore parses attribute by attribute, is a third of the whole item's).
CARD_ATTRIBUTES = tuple(PhotoCard.__dataclass_fields__)


def _card_from_item(item: dict[str, dict[str, Any]]) -> PhotoCard:
    """Return the card of a raw DynamoDB item, its values decoded as the Photo model does."""
    return PhotoCard(
        photo_id=item["photo_id"]["S"],
        name=item["name"]["S"],
        grid_key=item["grid_key"]["S"] if "grid_key" in item else None,
        width=_whole_number(item["width"]["N"]) if "width" in item else None,
        height=_whole_number(item["height"]["N"]) if "height" in item else None,
        uploaded_at=Photo.uploaded_at.deserialize(item["uploaded_at"]["S"]),
        comment_count=(_whole_number(item["comment_count"]["N"]) if "comment_count" in item else 0),
        status=item["status"]["S"],
        visibility=item["visibility"]["S"] if "visibility" in item else VISIBILITY_PUBLIC,
    )


def _whole_number(text: str) -> int | float:
    # What PynamoDB's NumberAttribute makes of a count or a size (it calls json.loads, which
    # costs ten times int() for the three numbers of every card).
    return int(text) if text.isdigit() else Photo.width.deserialize(text)


def _card_page(
    index: GlobalSecondaryIndex, hash_key: str, *, scope: str, cursor: str | None, limit: int
) -> Page[PhotoCard]:
    """Run one Query of a page of cards on a photo index, newest first.

    The same Query, paging and cursors as `page_query` on the index, but it asks only for the
    card's attributes and turns the raw items into cards directly: a PynamoDB model sets every
    one of the model's attributes, which costs more than the card itself. It goes through the
    shared DynamoDB client (core.aws), whose parser takes plain values as they come.
    """
    start = page_start(index.query, hash_key, scope=scope, cursor=cursor)
    key = next(a.attr_name for a in index.Meta.attributes.values() if a.is_hash_key)
    request: dict[str, Any] = {
        "TableName": Photo.Meta.table_name,
        "IndexName": index.Meta.index_name,
        "KeyConditionExpression": "#key = :key",
        "ProjectionExpression": ", ".join(f"#{name}" for name in CARD_ATTRIBUTES),
        "ExpressionAttributeNames": {"#key": key, **{f"#{n}": n for n in CARD_ATTRIBUTES}},
        "ExpressionAttributeValues": {":key": {"S": hash_key}},
        "ScanIndexForward": False,
        "Limit": limit,
    }
    if start is not None:
        request["ExclusiveStartKey"] = start
    answer = aws.client("dynamodb").query(**request)
    return Page(
        items=[_card_from_item(item) for item in answer.get("Items", [])],
        cursor=cursor_encode(answer.get("LastEvaluatedKey"), scope=scope),
    )


def photo_card_list_feed(*, cursor: str | None = None, limit: int = PAGE_SIZE) -> Page[PhotoCard]:
    """Return the cards of visible photos, newest first: the gallery's page, one Query.

    Pages and cursors are those of `photo_list_feed` without a time range.
    """
    return _card_page(Photo.feed_index, FEED_PARTITION, scope="feed", cursor=cursor, limit=limit)


def photo_card_list_owner(
    *, owner_sub: str, cursor: str | None = None, limit: int = PAGE_SIZE
) -> Page[PhotoCard]:
    """Return the cards of one user's photos, newest first; one Query a page.

    Pages and cursors are those of `photo_list_owner`.
    """
    return _card_page(
        Photo.owner_index, owner_sub, scope=f"owner:{owner_sub}", cursor=cursor, limit=limit
    )


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
    keep: Callable[[Photo], bool] | None = None,
    scope_parts: tuple = (),
) -> Page[Photo]:
    """Return visible photos whose name matches `q` and time lies in the range, newest first.

    `keep` drops matches a key cannot express (a date-taken range); `scope_parts` ties the
    cursor to what it depends on.

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
    scope = cursor_scope("search", date_from, date_to, q, *scope_parts)
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
            if photo is not None and (keep is None or keep(photo)):
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
        if photo is not None and not (
            photo.is_listed and search_terms.matches(photo.name, q, photo.caption)
        ):
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


def ip_retained_for(
    *, viewer: Any, items: Iterable[Photo | Comment], now: datetime | None = None
) -> dict[str, str]:
    """Return the full addresses, by RetainedIp key, of those items whose IP this viewer may
    see whole (gallery.policy.ip_full_wanted) and whose retention period is not over.

    One BatchGetItem for a page of items (none when the viewer may see no full address, or no
    item stores a network with a full address possibly kept apart); an
    item past its expiry that the TTL has not deleted yet counts as gone.
    """
    wanted = (
        item
        for item in items
        if policy.ip_retention_pending(item) and policy.ip_full_wanted(viewer=viewer, item=item)
    )
    keys = sorted({ip_key(item) for item in wanted})
    if not keys:
        return {}
    now = now or datetime.now(UTC)
    return {
        kept.item_key: kept.ip
        for kept in RetainedIp.batch_get(keys)
        if not kept.is_expired(now=now)
    }


def share_link_list_for_owner(
    *, owner_sub: str, cursor: str | None = None, limit: int = SHARE_LINK_PAGE_SIZE
) -> Page[ShareLink]:
    """Return every link to one user's photos, whoever made it (a moderator's too), newest
    first, one Query a page; expired ones are included until TTL removes them, so the page can
    say they expired."""
    return page_query(
        ShareLink.owner_index.query,
        owner_sub,
        scope=f"links:{owner_sub}",
        cursor=cursor,
        limit=limit,
    )


TRASH_PAGE_SIZE = 48


def photo_list_trash(
    *,
    owner_sub: str,
    now: datetime | None = None,
    cursor: str | None = None,
    limit: int = TRASH_PAGE_SIZE,
) -> Page[Photo]:
    """Return one user's trashed photos still before their purge time, newest first; one
    Query a page on the sparse `trash` index.

    Its sort key is the purge time, so the key condition leaves out photos past it that the
    TTL has not deleted yet: they count as gone, and cost nothing to skip.
    """
    now = now or datetime.now(UTC)
    return page_query(
        Photo.trash_index.query,
        owner_sub,
        Photo.purge_key > time_key(now, "~"),
        scope=f"trash:{owner_sub}",
        cursor=cursor,
        limit=limit,
    )


# --- the date-taken order (issue 14: what the camera knew) ----------------------------------
# Two sparse GSIs keyed like `feed` and `by_owner` (the same partition attributes, so a photo is
# in the taken order exactly when it is in the upload order) with `taken_key` as sort key: the
# date taken, or the upload time for a photo without one.

ORDER_UPLOADED = "uploaded"
ORDER_TAKEN = "taken"
ORDERS = (ORDER_UPLOADED, ORDER_TAKEN)


def photo_order_of(value: str | None) -> str:
    """Return the listing order a request asks for: `taken`, or by default `uploaded`."""
    return ORDER_TAKEN if value == ORDER_TAKEN else ORDER_UPLOADED


def photo_card_list_feed_taken(
    *, cursor: str | None = None, limit: int = PAGE_SIZE
) -> Page[PhotoCard]:
    """Return the cards of the gallery by date taken, latest first: one Query a page."""
    return _card_page(
        Photo.feed_taken_index, FEED_PARTITION, scope="feed_taken", cursor=cursor, limit=limit
    )


def photo_card_list_owner_taken(
    *, owner_sub: str, cursor: str | None = None, limit: int = PAGE_SIZE
) -> Page[PhotoCard]:
    """Return the cards of one user's photos by date taken, latest first; one Query a page."""
    return _card_page(
        Photo.owner_taken_index,
        owner_sub,
        scope=f"owner_taken:{owner_sub}",
        cursor=cursor,
        limit=limit,
    )


def photo_list_owner_taken(
    *, owner_sub: str, cursor: str | None = None, limit: int = PAGE_SIZE
) -> Page[Photo]:
    """Return one user's photos by date taken, latest first; one Query a page."""
    return page_query(
        Photo.owner_taken_index.query,
        owner_sub,
        scope=f"owner_taken:{owner_sub}",
        cursor=cursor,
        limit=limit,
    )


def photo_taken_key(photo: Photo) -> str:
    """Return the photo's place in the date-taken order (its upload place if it has none)."""
    return photo.taken_key or photo.sort_key


def photo_list_taken(
    *,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
    taken_from: datetime | None = None,
    taken_to: datetime | None = None,
    date_from: datetime | None = None,
    date_to: datetime | None = None,
) -> Page[Photo]:
    """Return visible photos by date taken, latest first, optionally within a taken range: one
    Query a page on `feed_taken` (`taken_key BETWEEN`).

    An upload range as well is a filter on the page read (the page may come out short; its
    cursor goes on), so the cost stays one Query a page.
    """
    lower, upper = time_range(taken_from, taken_to)
    uploaded = time_range(date_from, date_to) if date_from or date_to else None
    return page_query(
        Photo.feed_taken_index.query,
        FEED_PARTITION,
        Photo.taken_key.between(lower, upper),
        scope=cursor_scope("feed_taken", taken_from, taken_to, date_from, date_to),
        cursor=cursor,
        limit=limit,
        keep=None if uploaded is None else (lambda p: uploaded[0] <= p.sort_key <= uploaded[1]),
    )


def photo_search_taken(
    *,
    q: str = "",
    taken_from: datetime | None = None,
    taken_to: datetime | None = None,
    date_from: datetime | None = None,
    date_to: datetime | None = None,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> Page[Photo]:
    """Search by name or caption and/or date taken (and upload time), keyed reads only.

    Without `q`: the date-taken order's range query (`photo_list_taken`). With `q`: the name
    search (`photo_search`, newest upload first, the same bounded rounds), keeping only photos
    whose date taken lies in the range.
    """
    if taken_from is None and taken_to is None:
        return photo_search(q=q, date_from=date_from, date_to=date_to, cursor=cursor, limit=limit)
    if not q:
        return photo_list_taken(
            cursor=cursor,
            limit=limit,
            taken_from=taken_from,
            taken_to=taken_to,
            date_from=date_from,
            date_to=date_to,
        )
    lower, upper = time_range(taken_from, taken_to)
    return photo_search(
        q=q,
        date_from=date_from,
        date_to=date_to,
        cursor=cursor,
        limit=limit,
        keep=lambda photo: lower <= photo_taken_key(photo) <= upper,
        scope_parts=(taken_from, taken_to),
    )


# --- share links per recipient: one link and its open log, for its owner ----------------------

SHARE_OPEN_PAGE_SIZE = 50


def share_link_get_for_owner(*, token: str, viewer: Any) -> ShareLink:
    """Return a link for its owner (or a moderator), read strongly consistently so its status
    and count are current; NotFound for anyone else (they may not know it exists)."""
    try:
        link = ShareLink.get(token, consistent_read=True)
    except ShareLink.DoesNotExist:
        raise NotFound(gettext_noop("No such share link.")) from None
    if not policy.may_change(actor=viewer, item=link):
        raise NotFound(gettext_noop("No such share link."))
    return link


def share_open_list(*, link: ShareLink, cursor: str | None = None) -> Page[ShareOpen]:
    """Return a link's open log, newest first: one Query of its partition a page."""
    return page_query(
        ShareOpen.query,
        link.token,
        scope=cursor_scope("share-opens", link.token),
        cursor=cursor,
        limit=SHARE_OPEN_PAGE_SIZE,
    )
