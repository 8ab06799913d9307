"""Reads of reports: the moderators' queue and one item's open reports (no Scan)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from gallery import policy, selectors
from gallery.errors import GalleryError, Invalid, NotFound, gettext_noop
from gallery.models import Comment, Photo
from gallery.paging import Page, cursor_scope, page_query
from gallery.report_models import OPEN_PARTITION, STATUS_OPEN, Report, ReportCase
from gallery.services import share_links

QUEUE_PAGE_SIZE = 25
ITEM_REPORTS_MAX = 100
KEY_MAX_BYTES = 200

NO_SUCH_ITEM = gettext_noop("There is nothing to report here: it may have been removed.")


def report_queue(*, cursor: str | None = None, limit: int = QUEUE_PAGE_SIZE) -> Page[ReportCase]:
    """Return reported items with open reports, the latest report first: one Query of the
    sparse index `open` a page, whatever the number of items and reports stored."""
    return page_query(
        ReportCase.open_index.query,
        OPEN_PARTITION,
        scope=cursor_scope("report-queue"),
        cursor=cursor,
        limit=limit,
    )


def report_case_find(*, item_key: str) -> ReportCase | None:
    """Return an item's case (open or resolved), or None if it was never reported."""
    try:
        return ReportCase.get(item_key, consistent_read=True)
    except ReportCase.DoesNotExist:
        return None


def report_list_open(*, item_key: str, limit: int = ITEM_REPORTS_MAX) -> list[Report]:
    """Return an item's open reports, newest first (one Query of its partition)."""
    reports = Report.query(item_key, filter_condition=Report.status == STATUS_OPEN, page_size=limit)
    found = [report for _n, report in zip(range(limit), reports, strict=False)]
    return sorted(found, key=lambda report: report.created_key, reverse=True)


def _link_owner(token: str, photo_id: str, *, now: datetime) -> str | None:
    """Return the owner of a live share link that shows this photo (the photo it shares, one of
    its selection, or one of its album's), else None: a visitor holding the link may report
    what it shows, even where the photo's own page would not open for them."""
    if len(token.encode()) > KEY_MAX_BYTES:
        return None
    try:
        link = share_links.share_link_live(token=token, now=now)
        if link.target == share_links.TARGET_SELECTION:
            shows = photo_id in (link.photo_ids or [])
        elif link.target == share_links.TARGET_ALBUM:
            shows = share_links.share_album_holds(link=link, photo_id=photo_id) is not None
        else:
            shows = link.photo_id == photo_id
    except GalleryError:
        return None  # missing, revoked or ended; or not in the album
    return link.owner_sub if shows else None


def report_target_get(
    *,
    photo_id: str,
    comment_key: str = "",
    reporter: Any,
    share_token: str = "",
    now: datetime | None = None,
) -> tuple[Photo, Comment | None]:
    """Return the photo (and, with `comment_key`, its comment) this reporter may see and
    report: visible, not hidden, and not their own (Invalid); NotFound otherwise. A visitor holding
    a live share link (`share_token`) may report the photo it shows."""
    if not photo_id or len(photo_id.encode()) > KEY_MAX_BYTES:
        raise NotFound(NO_SUCH_ITEM)  # no id the site makes; DynamoDB would refuse the key
    if share_token and not comment_key:
        owner = _link_owner(share_token, photo_id, now=now or datetime.now(UTC))
        photo = selectors.photo_get_visible(photo_id=photo_id)
        # A link shows only its owner's photos (older links made by others show nothing).
        if owner is None or photo.owner_sub != owner:
            raise NotFound(NO_SUCH_ITEM)
    else:
        photo = selectors.photo_get_for_viewer(photo_id=photo_id, viewer=reporter)
    if not photo.is_visible:
        # Already out of public view: a moderator has dealt with it.
        raise NotFound(NO_SUCH_ITEM)
    comment = None
    if comment_key:
        if len(comment_key.encode()) > KEY_MAX_BYTES:
            raise NotFound(NO_SUCH_ITEM)  # no key the site writes; DynamoDB would refuse it
        try:
            comment = Comment.get(photo_id, comment_key)
        except Comment.DoesNotExist:
            raise NotFound(NO_SUCH_ITEM) from None
        if comment.hidden:
            raise NotFound(NO_SUCH_ITEM)
    item = comment or photo
    signed_in = reporter is not None and reporter.is_authenticated
    if signed_in and reporter.get_username() == policy.owner_of(item):
        raise Invalid(gettext_noop("You cannot report your own photo or comment."), code="own_item")
    return photo, comment
