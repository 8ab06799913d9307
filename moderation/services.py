"""Moderation actions: one gallery or Cognito write, then its audit entry.

Views check permissions; these functions do the write through the same service layer the site
uses (optimistic locking included) and record who did what. A failed write records nothing.
Deletions and revocations are recorded by the gallery services themselves (gallery.audit),
so a moderator's change is recorded once, by one rule, wherever it is made.
"""

from __future__ import annotations

from accounts import users
from accounts.request_user import SiteUser
from gallery import services as gallery_services
from gallery.models import Comment, Photo, ShareLink
from gallery.services import moderation as gallery_moderation
from moderation.audit import event_record


def _comment_id(comment: Comment) -> str:
    return f"{comment.photo_id}/{comment.created_key}"


def photo_hide(
    *,
    actor: SiteUser,
    photo_id: str,
    expected_version: int | None,
    reason: str = "other",
    note: str = "",
) -> Photo:
    """Hide a photo for a reason (gallery.hide_reasons) and record it, reason and note too."""
    photo = gallery_moderation.photo_hide(
        photo_id=photo_id, expected_version=expected_version, reason=reason, note=note
    )
    event_record(
        actor=actor,
        action="hide",
        object_type="photo",
        object_id=photo_id,
        object_repr=photo.name,
        detail=f"reason {reason}" + (f": {note.strip()}" if note.strip() else ""),
    )
    return photo


def photo_unhide(*, actor: SiteUser, photo_id: str, expected_version: int | None) -> Photo:
    """Unhide a photo and record it."""
    photo = gallery_moderation.photo_unhide(photo_id=photo_id, expected_version=expected_version)
    event_record(
        actor=actor,
        action="unhide",
        object_type="photo",
        object_id=photo_id,
        object_repr=photo.name,
    )
    return photo


def photo_delete(*, actor: SiteUser, photo: Photo) -> None:
    """Delete a photo with its comments, links and files (the gallery records someone else's)."""
    gallery_services.photo_delete(photo_id=photo.photo_id, actor=actor)


def comment_hide(
    *, actor: SiteUser, photo_id: str, created_key: str, expected_version: int | None
) -> Comment:
    """Hide a comment and record it."""
    comment = gallery_moderation.comment_hide(
        photo_id=photo_id, created_key=created_key, expected_version=expected_version
    )
    event_record(
        actor=actor,
        action="hide",
        object_type="comment",
        object_id=_comment_id(comment),
        object_repr=comment.body[:100],
    )
    return comment


def comment_unhide(
    *, actor: SiteUser, photo_id: str, created_key: str, expected_version: int | None
) -> Comment:
    """Unhide a comment and record it."""
    comment = gallery_moderation.comment_unhide(
        photo_id=photo_id, created_key=created_key, expected_version=expected_version
    )
    event_record(
        actor=actor,
        action="unhide",
        object_type="comment",
        object_id=_comment_id(comment),
        object_repr=comment.body[:100],
    )
    return comment


def comment_delete(*, actor: SiteUser, comment: Comment) -> None:
    """Delete a comment (the gallery records someone else's, with its text)."""
    gallery_services.comment_delete(
        photo_id=comment.photo_id, created_key=comment.created_key, actor=actor
    )


def share_link_revoke(*, actor: SiteUser, link: ShareLink) -> None:
    """Revoke a share link (the gallery records someone else's)."""
    gallery_services.share_link_revoke(token=link.token, actor=actor)


def user_disable(*, actor: SiteUser, username: str) -> users.PoolUser:
    """Disable a Cognito user, end their sessions, and record it."""
    user = users.user_disable(username=username)
    event_record(
        actor=actor,
        action="disable",
        object_type="user",
        object_id=username,
        object_repr=user.email,
    )
    return user


def user_enable(*, actor: SiteUser, username: str) -> users.PoolUser:
    """Enable a Cognito user and record it."""
    user = users.user_enable(username=username)
    event_record(
        actor=actor, action="enable", object_type="user", object_id=username, object_repr=user.email
    )
    return user


def user_group_set(*, actor: SiteUser, username: str, group: str, member: bool) -> users.PoolUser:
    """Add a user to a group or remove them, and record it."""
    user = users.user_group_set(username=username, group=group, member=member)
    event_record(
        actor=actor,
        action="group add" if member else "group remove",
        object_type="user",
        object_id=username,
        object_repr=user.email,
        detail=group,
    )
    return user


def user_invite(*, actor: SiteUser, email: str, display_name: str) -> users.PoolUser:
    """Invite a new user and record it."""
    user = users.user_invite(email=email, display_name=display_name)
    event_record(
        actor=actor,
        action="invite",
        object_type="user",
        object_id=user.username,
        object_repr=user.email,
    )
    return user
