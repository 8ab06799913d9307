"""The share form where a page other than the photo's offers one (an album's page)."""

from __future__ import annotations

from typing import Any

from django import template

from gallery.forms import ShareForm

register = template.Library()


@register.inclusion_tag("gallery/_share_album_form.html", takes_context=True)
def share_album_form(context: dict[str, Any], album: Any) -> dict[str, Any]:
    """Render the form that shares an album with one recipient (its owner's page only)."""
    return {"album": album, "form": ShareForm(), "csrf_token": context.get("csrf_token")}
