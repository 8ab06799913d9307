"""Who may see a photo: its visibility (public, unlisted, private), chosen at upload with a
default from the owner's settings, and changed later; and the one write that takes a photo into
or out of the public listings.

A photo is *listed* (gallery.models.Photo.is_listed) when it is visible and public: only then
does it carry the sparse `feed` attribute (the feed GSI) and its name-search terms. Every change
of status or visibility (hide, unhide, a change of visibility) goes through
`photo_listing_write`, so they all follow that one rule: the photo's update, conditioned on the
version read, and the search-term items added or removed with it, in one transaction.
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils.translation import gettext_lazy
from pynamodb.exceptions import TransactWriteError

from accounts import preferences
from core.transactions import Transaction, condition_failed
from gallery import counters, search_terms, selectors
from gallery.errors import Conflict, Forbidden, Invalid, NotFound, gettext_noop
from gallery.models import (
    FEED_PARTITION,
    STATUS_VISIBLE,
    VISIBILITIES,
    VISIBILITY_PRIVATE,
    VISIBILITY_PUBLIC,
    VISIBILITY_UNLISTED,
    Photo,
    SearchTerm,
)

logger = logging.getLogger(__name__)

# The choices as forms and pages show them, in this order.
VISIBILITY_CHOICES = {
    VISIBILITY_PUBLIC: gettext_lazy("Public: in the gallery and search"),
    VISIBILITY_UNLISTED: gettext_lazy("Unlisted: only with its address or a share link"),
    VISIBILITY_PRIVATE: gettext_lazy("Private: only you"),
}
# The short names of badges and summaries.
VISIBILITY_NAMES = {
    VISIBILITY_PUBLIC: gettext_lazy("Public"),
    VISIBILITY_UNLISTED: gettext_lazy("Unlisted"),
    VISIBILITY_PRIVATE: gettext_lazy("Private"),
}
# Moto accepts 25 items in a transaction (DynamoDB 100): the photo, perhaps a counter, and
# the terms. A longer name's other terms are written outside it, on the safe side (see
# photo_listing_write).
TRANSACTION_MAX_ITEMS = 25
# A change of visibility does not depend on what the user saw, so a write that lost a race
# reads the photo again and retries, this many times in all.
ATTEMPTS = 5

PHOTO_STALE = gettext_noop(
    "This photo was changed meanwhile (by someone else?); reload the page and try again."
)
OWNER_ONLY = gettext_noop("Only the photo's owner can change who may see it.")


def visibility_clean(value: Any) -> str:
    """Return a valid visibility; Invalid (`bad_visibility`) for anything else."""
    if value not in VISIBILITIES:
        raise Invalid(
            gettext_noop("Choose public, unlisted or private."),
            code="bad_visibility",
        )
    return value


def visibility_default(*, owner_sub: str) -> str:
    """Return the visibility the user's new photos get: their setting, else public."""
    chosen = preferences.profile_photo_visibility_get(sub=owner_sub)
    return chosen if chosen in VISIBILITIES else VISIBILITY_PUBLIC


def visibility_default_set(*, owner_sub: str, owner_name: str, visibility: str) -> str:
    """Record the visibility the user's new photos get; return it. Idempotent."""
    visibility = visibility_clean(visibility)
    preferences.profile_photo_visibility_set(
        sub=owner_sub, display_name=owner_name, visibility=visibility
    )
    return visibility


def visibility_for_upload(*, owner_sub: str, visibility: str | None) -> str:
    """Return the visibility a new photo gets: the one asked for, else the owner's default."""
    if visibility in (None, ""):
        return visibility_default(owner_sub=owner_sub)
    return visibility_clean(visibility)


def photo_listing_write(
    *,
    photo: Photo,
    actions: list[Any],
    status: str,
    visibility: str | None,
    hidden_delta: int = 0,
) -> None:
    """Apply `actions` to the photo as read, leaving it with `status` and `visibility`, and
    bring its `feed` attribute and search terms in line with the one rule (is_listed).

    One transaction: the photo's update, conditioned on the version read (Conflict if it
    changed; TransactionConflict is retried), the term items put or deleted, and the
    dashboard's hidden-photo counter moved by `hidden_delta` (hide, unhide). A long name and
    caption may have more terms than a transaction holds: the rest are put before it when the
    photo becomes listed and deleted after it when it stops being listed; search shows only
    photos it confirms are listed, so a term without its listed photo is harmless.
    """
    listed_before = photo.is_listed
    audience = visibility or VISIBILITY_PUBLIC
    listed_after = status == STATUS_VISIBLE and audience == VISIBILITY_PUBLIC
    actions = [
        *actions,
        Photo.feed.set(FEED_PARTITION) if listed_after else Photo.feed.remove(),
    ]
    terms = (
        sorted(search_terms.index_terms(photo.name, photo.caption))
        if listed_before != listed_after
        else []
    )
    room = TRANSACTION_MAX_ITEMS - 1 - (1 if hidden_delta else 0)
    inside, outside = terms[:room], set(terms[room:])
    if listed_after and outside:
        search_terms.search_terms_put(
            terms=outside, sort_key=photo.sort_key, photo_id=photo.photo_id
        )

    def commit() -> None:
        with Transaction.on(Photo) as transaction:
            # A copy: PynamoDB appends the version's increment to the list it is given.
            transaction.update(photo, actions=list(actions))
            for term in inside:
                if listed_after:
                    transaction.save(SearchTerm(term, photo.sort_key, photo_id=photo.photo_id))
                else:
                    transaction.delete(SearchTerm(term, photo.sort_key))
            if hidden_delta:
                counters.counter_add(
                    transaction, counter_key=counters.HIDDEN_PHOTOS, delta=hidden_delta
                )

    try:
        # Another transaction on the same items at that moment (a comment's count, a racing
        # hide's counter) cancels this one with nothing written: it is run again.
        counters.transaction_retried(commit)
    except TransactWriteError as exc:
        if condition_failed(exc):
            raise Conflict(PHOTO_STALE) from None
        raise
    if not listed_after and outside:
        search_terms.search_terms_delete(terms=outside, sort_key=photo.sort_key)
    photo.status = status
    photo.visibility = visibility
    photo.feed = FEED_PARTITION if listed_after else None


def photo_visibility_set(
    *, photo_id: str, actor: Any, visibility: str, expected_version: int | None = None
) -> Photo:
    """Let the photo's owner choose who may see it; return the photo as it now is.

    Idempotent: asking for the visibility it has changes nothing. Safe under concurrency: each
    write is conditioned on the version just read; one that lost a race to another change (a
    moderator hiding it, another tab) reads again and retries, unless the caller names the
    `expected_version` it showed the user (then Conflict). Only the owner may: a moderator
    hides a photo instead. A hidden photo keeps its visibility for when it is unhidden.
    """
    visibility = visibility_clean(visibility)
    for attempt in range(ATTEMPTS):
        photo = selectors.photo_get_latest(photo_id=photo_id)
        if not actor.is_authenticated or actor.get_username() != photo.owner_sub:
            raise Forbidden(OWNER_ONLY)
        if expected_version is not None and photo.version != expected_version:
            raise Conflict(PHOTO_STALE)
        if photo.is_trashed:
            # Out of the owner's photos until restored: a bulk action reports it as gone.
            raise NotFound(gettext_noop("That photo is in the trash; restore it first."))
        if photo.visibility == visibility:
            return photo
        try:
            photo_listing_write(
                photo=photo,
                actions=[Photo.visibility.set(visibility)],
                status=photo.status,
                visibility=visibility,
            )
        except Conflict:
            if expected_version is not None or attempt == ATTEMPTS - 1:
                raise
            continue
        return photo
    raise AssertionError("unreachable")  # pragma: no cover
