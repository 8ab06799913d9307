"""The audit trail (a real table) and permission-only models for the admin's non-ORM pages.

Photos, comments and share links live in DynamoDB and users in Cognito, so the admin pages for
them are custom views. They still need a model: the admin index lists apps by model, and
permissions hang off a content type. The `managed = False` models below never get a table.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ModerationEvent(models.Model):
    """One moderation action: who did what to which object, and when.

    A table of its own rather than Django's LogEntry: LogEntry points at ORM rows through a
    content type and a primary key, whereas these objects are DynamoDB items and Cognito users
    identified by strings; a dedicated table keeps `object_type`/`object_id` indexed, so an
    object's history is one indexed query.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept even if the actor's Django user goes away.
    actor_name = models.CharField(max_length=300)
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=20)
    object_id = models.CharField(max_length=300)
    object_repr = models.CharField(max_length=300, blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-created_at"])]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} {self.object_type} {self.object_repr}"


class _Unmanaged(models.Model):
    class Meta:
        abstract = True
        managed = False
        default_permissions = ("view",)

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class PhotoEntry(_Unmanaged):
    """Photos (DynamoDB); the permission to hide, unhide and delete them."""

    class Meta(_Unmanaged.Meta):
        verbose_name = "photo"
        permissions = [("moderate_photo", "Can hide, unhide and delete photos")]


class CommentEntry(_Unmanaged):
    """Comments (DynamoDB); the permission to hide, unhide and delete them."""

    class Meta(_Unmanaged.Meta):
        verbose_name = "comment"
        permissions = [("moderate_comment", "Can hide, unhide and delete comments")]


class ShareLinkEntry(_Unmanaged):
    """Share links (DynamoDB); the permission to revoke them."""

    class Meta(_Unmanaged.Meta):
        verbose_name = "share link"
        permissions = [("revoke_sharelink", "Can revoke share links")]


class CognitoUser(_Unmanaged):
    """Users of the Cognito User Pool; the permission to change them."""

    class Meta(_Unmanaged.Meta):
        verbose_name = "Cognito user"
        permissions = [("manage_cognito_user", "Can enable, disable, invite and regroup users")]
