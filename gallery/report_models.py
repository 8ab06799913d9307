"""PynamoDB models of viewers' reports of photos and comments (the moderators' queue).

Two tables, written one after the other when a viewer reports something:

- `reports`: one item per (reported item, reporter). The key makes a second report of the same
  item by the same reporter the same item, so reporting twice (a double click, a retry) is one
  report. A resolved report carries a TTL and is purged by DynamoDB later.
- `report-cases`: one item per reported photo or comment, with the counts of its open reports.
  While it has open reports it carries `open_feed`, so the sparse GSI `open` holds exactly the
  items waiting for a moderator, newest report first: the queue is one Query a page, whatever
  the size of either table. Resolving a case (hide or dismiss) is one conditional update of
  this item, so two moderators acting at once resolve it once.

Importable without Django settings, like the gallery's other models.
"""

from __future__ import annotations

import base64
import binascii

from pynamodb.attributes import (
    BooleanAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from core import dynamo
from core.dynamo import TableMeta

OPEN_PARTITION = "all"

KIND_PHOTO = "photo"
KIND_COMMENT = "comment"

STATUS_OPEN = "open"
STATUS_RESOLVED = "resolved"

RESOLUTION_HIDDEN = "hidden"
RESOLUTION_DISMISSED = "dismissed"

# The fixed reasons a viewer chooses from (their labels are the pages' and the API's).
REASONS = ("spam", "harassment", "sexual", "violence", "copyright", "other")


def report_item_key(photo_id: str, created_key: str | None = None) -> str:
    """Return the key of a reported item: `photo#<id>`, or `comment#<photo_id>#<created_key>`."""
    if created_key:
        return f"{KIND_COMMENT}#{photo_id}#{created_key}"
    return f"{KIND_PHOTO}#{photo_id}"


def case_id(item_key: str) -> str:
    """Return a URL-safe id of a case (its item key contains `#` and `:`)."""
    return base64.urlsafe_b64encode(item_key.encode()).decode().rstrip("=")


def case_item_key(case: str) -> str | None:
    """Return the item key a case id names, or None for text that is no case id."""
    try:
        key = base64.urlsafe_b64decode(case + "=" * (-len(case) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    kind = key.split("#", 1)[0]
    return key if kind in (KIND_PHOTO, KIND_COMMENT) and key.count("#") >= 1 else None


class OpenCaseIndex(GlobalSecondaryIndex):
    """Items with open reports, latest report first (sparse: only open cases carry it)."""

    class Meta:
        index_name = "open"
        projection = AllProjection()

    open_feed = UnicodeAttribute(hash_key=True)
    last_key = UnicodeAttribute(range_key=True)


class ReportCase(Model):
    """A reported photo or comment: how many open reports it has, and for what."""

    class Meta(TableMeta):
        table = "report-cases"

    item_key = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute()
    photo_id = UnicodeAttribute()
    # A comment's sort key in its photo's partition; absent for a photo.
    created_key = UnicodeAttribute(null=True)
    # Copied from the item at each report, so the queue needs no read per row: a photo's name
    # and grid image, a comment's text; the owner or author's name.
    item_text = UnicodeAttribute(default="")
    item_author = UnicodeAttribute(default="")
    grid_key = UnicodeAttribute(null=True)
    # Open reports, all together and per reason (atomic ADDs; reset when resolved).
    open_count = NumberAttribute(default=0)
    reason_spam = NumberAttribute(null=True)
    reason_harassment = NumberAttribute(null=True)
    reason_sexual = NumberAttribute(null=True)
    reason_violence = NumberAttribute(null=True)
    reason_copyright = NumberAttribute(null=True)
    reason_other = NumberAttribute(null=True)
    # The reporters counted in open_count: counting a report is one conditional UpdateItem
    # that adds its reporter here, so it can be retried and never counts twice.
    counted = UnicodeSetAttribute(null=True)
    # time_key of the latest report: orders the queue.
    last_key = UnicodeAttribute()
    last_reported_at = UTCDateTimeAttribute()
    # Present only while open (sparse index `open`).
    open_feed = UnicodeAttribute(null=True)
    # The last resolution: what was done, by whom, when, to how many reports.
    resolution = UnicodeAttribute(null=True)
    resolved_at = UTCDateTimeAttribute(null=True)
    resolved_by = UnicodeAttribute(null=True)
    resolved_count = NumberAttribute(null=True)
    # Set when resolved (purged later unless reported again), removed by a new report.
    expires_at = TTLAttribute(null=True)

    open_index = OpenCaseIndex()

    @property
    def is_open(self) -> bool:
        return self.open_feed is not None

    @property
    def case_id(self) -> str:
        return case_id(self.item_key)

    def reason_counts(self) -> dict[str, int]:
        """Return the open reports per reason, the reasons with none left out."""
        counts = {reason: int(getattr(self, f"reason_{reason}") or 0) for reason in REASONS}
        return {reason: n for reason, n in counts.items() if n}


class Report(Model):
    """One viewer's report of one item; the same reporter reporting again is the same item."""

    class Meta(TableMeta):
        table = "reports"

    item_key = UnicodeAttribute(hash_key=True)
    # `user#<sub>` for a signed-in reporter, `ip#<keyed hash of the address>` for a visitor.
    reporter_key = UnicodeAttribute(range_key=True)
    reason = UnicodeAttribute()
    note = UnicodeAttribute(default="")
    created_at = UTCDateTimeAttribute()
    created_key = UnicodeAttribute()
    reporter_sub = UnicodeAttribute(null=True)
    reporter_name = UnicodeAttribute(default="")
    # The reporter's network only (IPv4 /24, IPv6 /48), never the whole address.
    reporter_network = UnicodeAttribute(default="")
    # The visitor reported what a share link showed them.
    via_link = BooleanAttribute(default=False)
    status = UnicodeAttribute(default=STATUS_OPEN)
    resolution = UnicodeAttribute(null=True)
    expires_at = TTLAttribute(null=True)

    @property
    def is_open(self) -> bool:
        return self.status == STATUS_OPEN


TABLES: list[type[Model]] = [ReportCase, Report]
dynamo.register(*TABLES)
