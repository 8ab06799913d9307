"""The moderation audit trail: an append-only DynamoDB table.

One item per moderation action: who (`actor_sub`, `actor_name`) did what (`action`) to which
object (`object_type`, `object_id`), and when. Items are only ever created, with a condition
that the key is new, so an event is never overwritten; nothing updates or deletes them.

Access patterns (Queries, never a Scan), each newest first and paged by cursor:
- an object's history: the table key (partition `object_key` = "<type>#<id>", sort `created_key`);
- everything: sparse-free GSI `feed` (every event carries `feed` = "all");
- one actor's actions: GSI `by_actor` (actor_sub, created_key);
- one kind of action: GSI `by_action` (action, created_key).
`created_key` is "<ISO-8601 UTC with microseconds>#<random>", so it sorts by time, a date range
is `created_key BETWEEN`, and two events in the same microsecond still get distinct keys.

Importable without Django settings.
"""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from core import dynamo
from core.dynamo import TableMeta

FEED_PARTITION = "all"


def object_key(object_type: str, object_id: str) -> str:
    """Return the partition key of an object's history: `photo#<id>`, `user#<name>`, ..."""
    return f"{object_type}#{object_id}"


class AuditFeedIndex(GlobalSecondaryIndex):
    """Every event, newest first."""

    class Meta:
        index_name = "feed"
        projection = AllProjection()

    feed = UnicodeAttribute(hash_key=True)
    created_key = UnicodeAttribute(range_key=True)


class AuditActorIndex(GlobalSecondaryIndex):
    """One moderator's actions, newest first."""

    class Meta:
        index_name = "by_actor"
        projection = AllProjection()

    actor_sub = UnicodeAttribute(hash_key=True)
    created_key = UnicodeAttribute(range_key=True)


class AuditActionIndex(GlobalSecondaryIndex):
    """One kind of action (hide, delete, disable ...), newest first."""

    class Meta:
        index_name = "by_action"
        projection = AllProjection()

    action = UnicodeAttribute(hash_key=True)
    created_key = UnicodeAttribute(range_key=True)


class AuditEvent(Model):
    """One moderation action. Written once (conditionally), never changed."""

    class Meta(TableMeta):
        table = "moderation-events"

    object_key = UnicodeAttribute(hash_key=True)
    created_key = UnicodeAttribute(range_key=True)
    created_at = UTCDateTimeAttribute()
    feed = UnicodeAttribute(default=FEED_PARTITION)
    actor_sub = UnicodeAttribute()
    # Copied at the time of the action: the trail stays readable if the user is renamed or gone.
    actor_name = UnicodeAttribute()
    action = UnicodeAttribute()
    object_type = UnicodeAttribute()
    object_id = UnicodeAttribute()
    object_repr = UnicodeAttribute(default="")
    detail = UnicodeAttribute(default="")

    feed_index = AuditFeedIndex()
    actor_index = AuditActorIndex()
    action_index = AuditActionIndex()


TABLES: list[type[Model]] = [AuditEvent]
dynamo.register(*TABLES)
