"""Record moderation actions in the audit trail (moderation.records.AuditEvent)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from pynamodb.exceptions import PutError

from moderation.records import AuditEvent, object_key

MAX_ID = 300
MAX_REPR = 300
MAX_DETAIL = 10_000


class AuditWriteFailed(RuntimeError):
    """The event could not be appended (its key already existed twice in a row)."""


def _condition_failed(exc: PutError) -> bool:
    return getattr(exc, "cause_response_code", None) == "ConditionalCheckFailedException"


def actor_label(actor: Any) -> str:
    """Return how the trail names an actor: `Display name (sub)`, or the sub alone."""
    name = getattr(actor, "first_name", "") or ""
    return f"{name} ({actor.get_username()})" if name else actor.get_username()


def event_record(
    *,
    actor: Any,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str = "",
    detail: str = "",
    now: datetime | None = None,
) -> AuditEvent:
    """Append one audit entry: who (`actor`) did `action` to which object.

    One conditional PutItem: the write fails rather than replace an existing event, so the
    trail is append-only even if two writers chose the same key (then a new key is drawn).
    """
    now = now or datetime.now(UTC)
    object_id = object_id[:MAX_ID]
    for _attempt in range(2):
        event = AuditEvent(
            object_key=object_key(object_type, object_id),
            created_key=f"{now:%Y-%m-%dT%H:%M:%S.%fZ}#{secrets.token_hex(6)}",
            created_at=now,
            actor_sub=actor.get_username(),
            actor_name=actor_label(actor)[:MAX_REPR],
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr[:MAX_REPR],
            detail=detail[:MAX_DETAIL],
        )
        try:
            event.save(condition=AuditEvent.object_key.does_not_exist())
        except PutError as exc:
            if _condition_failed(exc):
                continue  # 48 random bits collided within one microsecond: draw again
            raise
        return event
    raise AuditWriteFailed("Could not append the audit event.")
