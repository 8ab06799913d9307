"""How the admin pages name what the audit trail stores in English: actions and object types.

The trail keeps the English words (they are its filter keys); pages show them in the reader's
language through these functions and the template filters of the same name
(moderation.templatetags.moderation_labels).
"""

from __future__ import annotations

from django.utils.translation import pgettext


def audit_action_label(action: str) -> str:
    """Return how the pages name an action of the audit trail (stored in English)."""
    labels = {
        "hide": pgettext("audit action", "hide"),
        "unhide": pgettext("audit action", "unhide"),
        "delete": pgettext("audit action", "delete"),
        "edit": pgettext("audit action", "edit"),
        "revoke": pgettext("audit action", "revoke"),
        "share": pgettext("audit action", "share"),
        "disable": pgettext("audit action", "disable"),
        "enable": pgettext("audit action", "enable"),
        "group add": pgettext("audit action", "group add"),
        "group remove": pgettext("audit action", "group remove"),
        "invite": pgettext("audit action", "invite"),
        "dismiss": pgettext("audit action", "dismiss"),
    }
    return labels.get(action, action)


def object_type_label(object_type: str) -> str:
    """Return how the pages name a kind of object of the audit trail."""
    labels = {
        "photo": pgettext("audit object", "photo"),
        "comment": pgettext("audit object", "comment"),
        "sharelink": pgettext("audit object", "share link"),
        "user": pgettext("audit object", "user"),
    }
    return labels.get(object_type, object_type)
