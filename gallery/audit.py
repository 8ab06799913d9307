"""The gallery's hook into the audit trail: every change a moderator makes to someone else's
photo, comment or share link is recorded, whether made on a page, in the API or in the admin.

The trail is the moderation app's (moderation.audit). That module imports nothing of the
gallery, so the services may call it without an import cycle, although the moderation app
itself builds on the gallery services. The services call `moderation_record` only after their
write succeeded: a refused or failed change records nothing.
"""

from __future__ import annotations

from typing import Any

from moderation.audit import event_record


def moderation_record(
    *,
    actor: Any,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str = "",
    detail: str = "",
) -> None:
    """Append one audit event: `actor` did `action` to someone else's item."""
    event_record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        detail=detail,
    )
