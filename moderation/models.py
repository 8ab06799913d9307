"""Model classes that only name the admin's pages and their permissions; no table behind them.

Photos, comments and share links live in DynamoDB, users in Cognito and the audit trail in
DynamoDB (moderation.records), so the admin pages for them are custom views. The admin still
lists apps by model class and names permissions `<app_label>.<codename>`: these `managed =
False` classes give it both. No database holds them; there are no migrations, and nothing
queries them (the request's user answers permission checks from Cognito groups).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        permissions = [("moderate_photo", "Can hide, unhide and delete photos")]


class CommentEntry(_Unmanaged):
    """Comments (DynamoDB); the permission to hide, unhide and delete them."""

    class Meta(_Unmanaged.Meta):
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        permissions = [("moderate_comment", "Can hide, unhide and delete comments")]


class ShareLinkEntry(_Unmanaged):
    """Share links (DynamoDB); the permission to revoke them."""

    class Meta(_Unmanaged.Meta):
        verbose_name = _("share link")
        verbose_name_plural = _("share links")
        permissions = [("revoke_sharelink", "Can revoke share links")]


class CognitoUser(_Unmanaged):
    """Users of the Cognito User Pool; the permission to change them."""

    class Meta(_Unmanaged.Meta):
        verbose_name = _("Cognito user")
        verbose_name_plural = _("Cognito users")
        permissions = [("manage_cognito_user", "Can enable, disable, invite and regroup users")]


class ModerationEvent(_Unmanaged):
    """The moderation audit trail (DynamoDB, moderation.records.AuditEvent)."""

    class Meta(_Unmanaged.Meta):
        verbose_name = _("moderation event")
        verbose_name_plural = _("moderation events")


class ReportEntry(_Unmanaged):
    """Viewers' reports of photos and comments (DynamoDB, gallery.report_models): the queue.

    Resolving a report needs the permission to moderate that kind of item (moderate_photo or
    moderate_comment), so this model adds no permission of its own.
    """

    class Meta(_Unmanaged.Meta):
        verbose_name = _("report")
        verbose_name_plural = _("reports")
