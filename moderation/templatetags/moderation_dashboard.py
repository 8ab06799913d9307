"""The dashboard panel on the admin index: activity per day as inline SVG bars."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django import template
from django.utils.translation import gettext as _

from moderation import audit_selectors, selectors

logger = logging.getLogger(__name__)
register = template.Library()

BAR = 12
GAP = 2
PLOT_HEIGHT = 60
LABEL_HEIGHT = 14


def chart(*, title: str, days: list[date], values: list[int], color: str) -> dict[str, Any]:
    """Return the geometry of one bar chart; the tallest bar fills the plot."""
    peak = max(values, default=0)
    bars = []
    for n, (day, value) in enumerate(zip(days, values, strict=True)):
        height = round(PLOT_HEIGHT * value / peak) if peak else 0
        if value and not height:
            height = 1
        bars.append(
            {
                "x": n * (BAR + GAP),
                "y": PLOT_HEIGHT - height,
                "w": BAR,
                "h": height,
                "day": day.isoformat(),
                "value": value,
            }
        )
    return {
        "title": title,
        "bars": bars,
        "peak": peak,
        "total": sum(values),
        "color": color,
        "width": len(days) * (BAR + GAP),
        "height": PLOT_HEIGHT + LABEL_HEIGHT,
        "baseline": PLOT_HEIGHT,
        "first_day": days[0].isoformat() if days else "",
        "last_day": days[-1].isoformat() if days else "",
    }


@register.inclusion_tag("admin/moderation/_dashboard.html", takes_context=True)
def dashboard_panel(context: template.Context) -> dict[str, Any]:
    """Render the activity panel for staff; a failing read shows a note, not a 500."""
    request = context.get("request")
    if request is None or not request.user.is_staff:
        return {"error": "", "charts": [], "board": None}
    try:
        board = selectors.dashboard()
    # The admin index must render even if DynamoDB is down.
    except Exception:
        logger.exception("dashboard unavailable")
        return {
            "error": _("The activity panel is unavailable right now."),
            "charts": [],
            "board": None,
        }
    return {
        "board": board,
        "error": "",
        "charts": [
            chart(title=_("Uploads"), days=board.days, values=board.uploads, color="#417690"),
            chart(title=_("Comments"), days=board.days, values=board.comments, color="#79aec8"),
        ],
    }


@register.simple_tag(takes_context=True)
def recent_audit_events(context: template.Context) -> dict[str, Any]:
    """Return the latest audit events for the admin index; a failing read shows a note."""
    request = context.get("request")
    if request is None or not request.user.is_staff:
        return {"events": [], "error": ""}
    try:
        events = audit_selectors.event_list_recent(limit=10)
    # The admin index must render even if DynamoDB is down.
    except Exception:
        logger.exception("recent audit events unavailable")
        return {"events": [], "error": _("The audit trail is unavailable right now.")}
    return {"events": events, "error": ""}
