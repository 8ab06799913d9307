"""Template filters that name the audit trail's actions and object types in the page's language."""

from __future__ import annotations

from django import template

from moderation import labels

register = template.Library()


@register.filter
def audit_action(action: str) -> str:
    """`{{ event.action|audit_action }}`: the action as the reader's language names it."""
    return labels.audit_action_label(action)


@register.filter
def audit_object(object_type: str) -> str:
    """`{{ event.object_type|audit_object }}`: the kind of object in the reader's language."""
    return labels.object_type_label(object_type)
