"""Moved to gallery.services.moderation; this name stays for callers not yet moved."""

from gallery.services.moderation import (
    COMMENT_STALE,
    PHOTO_STALE,
    comment_hide,
    comment_unhide,
    photo_hide,
    photo_unhide,
)

__all__ = [
    "COMMENT_STALE",
    "PHOTO_STALE",
    "comment_hide",
    "comment_unhide",
    "photo_hide",
    "photo_unhide",
]
