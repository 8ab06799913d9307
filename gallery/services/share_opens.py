"""The open log of share links: one item per open (ShareOpen, TTL'd) and the link's own atomic
view counter, which is also what enforces a view limit.

Logging is cheap and never breaks an open: one PutItem whose failure is logged and swallowed.
Counting is one conditional UpdateItem; it may only fail the open when the link has a view
limit (then the count is the limit, and an uncounted open would exceed it).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from pynamodb.exceptions import UpdateError

from core.transactions import condition_failed
from gallery.errors import Gone, NotFound, Unavailable, gettext_noop
from gallery.models import ShareLink, ShareOpen, time_key
from gallery.services import common
from gallery.services.ips import ip_stored_form

logger = logging.getLogger(__name__)

# How long an open stays in the log; DynamoDB's TTL deletes it afterwards. Only the truncated
# address (IPv4 /24, IPv6 /48) is ever written, so no full address outlives the request.
SHARE_OPEN_KEEP_DAYS = 30
OPEN_PAGE, OPEN_FILE = "page", "file"
USED_UP = gettext_noop("This link has been opened as many times as it allows.")


def share_open_record(
    *, token: str, ip: str, kind: str = OPEN_PAGE, now: datetime | None = None
) -> ShareOpen | None:
    """Write one entry of the link's open log; on any failure log it and return None.

    The recipient came to see the photos, not to be counted: a throttled or unreachable table
    must not turn the open into an error page.
    """
    opened_at = common.utc_now(now)
    entry = ShareOpen(
        token,
        time_key(opened_at, common.new_id()),
        opened_at=opened_at,
        ip=ip_stored_form(ip or ""),
        kind=kind,
        expires_at=opened_at.replace(microsecond=0) + timedelta(days=SHARE_OPEN_KEEP_DAYS),
    )
    try:
        entry.save()
    except Exception:
        logger.exception("share open of link %s… not logged", token[:8])
        return None
    return entry


def share_view_count(*, link: ShareLink, now: datetime | None = None) -> int:
    """Count one open of the link's page, atomically; return the link's count after it.

    One conditional ADD: the link must still exist, not be revoked, and (with a view limit)
    have been opened fewer times than the limit, so concurrent opens can never together pass
    the limit, and a revocation made meanwhile refuses the open. Gone when refused.
    """
    condition = ShareLink.token.exists() & ~(ShareLink.revoked == True)  # noqa: E712
    if link.view_limit is not None:
        condition &= ShareLink.views.does_not_exist() | (ShareLink.views < int(link.view_limit))
    try:
        link.update(
            actions=[
                ShareLink.views.add(1),
                ShareLink.last_opened_at.set(common.utc_now(now)),
            ],
            condition=condition,
        )
    except UpdateError as exc:
        if condition_failed(exc):
            _refusal(link.token)
        if link.view_limit is not None:
            logger.exception("view of limited share link %s… not counted", link.token[:8])
            raise Unavailable(
                gettext_noop("This link cannot be opened right now; try again in a moment.")
            ) from None
        # Without a limit the count is only information: the open goes on.
        logger.exception("view of share link %s… not counted", link.token[:8])
        return link.open_count
    return link.open_count


def _refusal(token: str) -> None:
    """Raise why a counted open was refused: revoked, removed, or used up."""
    try:
        current = ShareLink.get(token, consistent_read=True)
    except ShareLink.DoesNotExist:
        raise NotFound(gettext_noop("This share link does not exist.")) from None
    if current.revoked:
        raise Gone(gettext_noop("This share link was revoked."), code="revoked")
    raise Gone(USED_UP, code="used_up")
