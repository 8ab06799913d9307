"""Record moderation actions in the audit trail."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from moderation.models import ModerationEvent


def event_record(
    *,
    actor: AbstractBaseUser,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str = "",
    detail: str = "",
) -> ModerationEvent:
    """Write one audit entry: who (`actor`) did `action` to which object."""
    name = getattr(actor, "first_name", "") or ""
    return ModerationEvent.objects.create(
        actor=actor,
        actor_name=f"{name} ({actor.get_username()})" if name else actor.get_username(),
        action=action,
        object_type=object_type,
        object_id=object_id[:300],
        object_repr=object_repr[:300],
        detail=detail,
    )


def event_list_for(*, object_type: str, object_id: str, limit: int = 50) -> list[ModerationEvent]:
    """Return an object's history, newest first."""
    return list(
        ModerationEvent.objects.filter(object_type=object_type, object_id=object_id)[:limit]
    )
