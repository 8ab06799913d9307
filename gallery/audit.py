"""The gallery's hook into the audit trail: every change a moderator makes to someone else's
photo, comment or share link is recorded, whether made on a page, in the API or in the admin.

The trail is the moderation app's (moderation.audit). That module imports nothing of the
gallery, so the services may call it without an import cycle, although the moderation app
itself builds on the gallery services. The services call `moderation_record` only after their
write succeeded: a refused or failed change records nothing.
"""

from moderation.audit import event_record as moderation_record

__all__ = ["moderation_record"]
