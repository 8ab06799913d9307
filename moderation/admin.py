"""Admin pages for photos, comments and share links (DynamoDB) and users (Cognito).

The admin cannot list objects that are not ORM rows, so each ModelAdmin here hangs off a
permission-only model (moderation.models) and replaces its URLs with custom views that render
admin templates: breadcrumbs, messages, CSRF, an actions dropdown and cursor pagination look
and behave like the rest of the admin. Views stay thin: parse, call a selector or one
moderation service, render or redirect.

Rules: every page needs an active staff user (`admin_view` sends others to the login); a
moderation write needs the model's explicit permission (superusers have every permission).
Permissions come from the user's Cognito groups (accounts.request_user); nothing here reads or
writes SQL: Django's own admin log (LogEntry) is never written, the audit trail in DynamoDB
(moderation.records) is, by the moderation services.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time
from typing import Any
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from accounts.cognito import CognitoError
from gallery import policy, storage
from gallery import selectors as gallery_selectors
from gallery.cursors import BadCursor
from gallery.errors import GalleryError
from gallery.hide_reasons import HIDE_REASONS, hide_reason_label
from gallery.models import STATUS_HIDDEN, STATUS_VISIBLE
from moderation import audit_selectors, selectors, services
from moderation.audit_selectors import EventFilters
from moderation.labels import audit_action_label, object_type_label
from moderation.models import (
    CognitoUser,
    CommentEntry,
    ModerationEvent,
    PhotoEntry,
    ShareLinkEntry,
)
from moderation.records import AuditEvent

BULK_ACTIONS = ("hide", "unhide", "delete")
IMAGE_URL_SECONDS = 300
AUDIT_ACTIONS = (
    "hide",
    "unhide",
    "delete",
    "edit",
    "revoke",
    "share",
    "disable",
    "enable",
    "group add",
    "group remove",
    "invite",
    "dismiss",
)

admin.site.index_template = "admin/moderation/index.html"
admin.site.site_header = gettext_lazy("photosite administration")
admin.site.site_title = gettext_lazy("photosite admin")
# Users and groups are Cognito's (the "Cognito users" pages); Django's own would be SQL tables.
for _model in (User, Group):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


def _day(value: str | None, *, end: bool) -> datetime | None:
    parsed = parse_date(value or "") if value else None
    if parsed is None:
        return None
    return datetime.combine(parsed, time.max if end else time.min, tzinfo=UTC)


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    """Redirect to the page the form came from (only a path on this site), else `fallback`."""
    target = request.POST.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = fallback
    return HttpResponseRedirect(target)


def _bulk_actions(noun: str) -> list[tuple[str, str]]:
    """The bulk actions of a list of photos or comments: hide, unhide, delete the selected."""
    labels = {
        "photos": {
            "hide": _("Hide selected photos"),
            "unhide": _("Unhide selected photos"),
            "delete": _("Delete selected photos"),
        },
        "comments": {
            "hide": _("Hide selected comments"),
            "unhide": _("Unhide selected comments"),
            "delete": _("Delete selected comments"),
        },
    }[noun]
    return [(action, labels[action]) for action in BULK_ACTIONS]


def _next_url(filters: dict[str, str], cursor: str | None) -> str:
    """Return the query string of the next page: the filters that are set, and the cursor."""
    kept = {k: v for k, v in filters.items() if v}
    return f"?{urlencode({**kept, 'cursor': cursor})}" if cursor else ""


def _first_url(filters: dict[str, str]) -> str:
    return f"?{urlencode({k: v for k, v in filters.items() if v})}"


def _version(raw: str) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


class NonOrmAdmin(admin.ModelAdmin):
    """A ModelAdmin whose pages are custom views; the model only carries permissions."""

    moderate_permission = ""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_moderate(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_moderate(request)

    def may_moderate(self, request: HttpRequest) -> bool:
        """Tell whether the user may change these objects (superusers have every permission)."""
        app_label = self.model._meta.app_label
        return request.user.is_active and request.user.has_perm(
            f"{app_label}.{self.moderate_permission}"
        )

    def require_moderate(self, request: HttpRequest) -> None:
        if not self.may_moderate(request):
            raise PermissionDenied

    def url_name(self, suffix: str) -> str:
        opts = self.model._meta
        return f"{opts.app_label}_{opts.model_name}_{suffix}"

    def url(self, suffix: str, *args: Any) -> str:
        return reverse(f"admin:{self.url_name(suffix)}", args=args)

    def view(self, func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        return self.admin_site.admin_view(func)

    def page_or_first(
        self,
        request: HttpRequest,
        fetch: Callable[[], Any],
        empty: Any,
        errors: tuple = (BadCursor,),
    ) -> Any:
        """Return the requested page, or `empty` with the reason shown (a stale or bad cursor)."""
        try:
            return fetch()
        except errors as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
            return empty

    def get_urls(self) -> list:
        """Route the list page; admins with more pages add theirs to this list."""
        return [
            path("", self.view(self.changelist_view), name=self.url_name("changelist")),
        ]

    def context(self, request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "may_moderate": self.may_moderate(request),
            "changelist_url": self.url("changelist"),
            **extra,
        }

    def delete_confirmation(
        self, request: HttpRequest, *, kind: str, objects: list[str], **fields: Any
    ) -> HttpResponse:
        """Ask once before deleting these objects (a page listing them, Cancel back to the list)."""
        return render(
            request,
            "admin/moderation/delete_confirm.html",
            self.context(
                request,
                _("Are you sure?"),
                kind=kind,
                objects=objects,
                cancel_url=self.url("changelist"),
                **fields,
            ),
        )

    def history(self, object_type: str, object_id: str) -> list[AuditEvent]:
        return audit_selectors.event_list_for(object_type=object_type, object_id=object_id)

    # Django's admin log is a SQL table (LogEntry). These pages never call the log_* methods
    # (the moderation services write the audit trail), and they refuse to if anything tries.
    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> None:
        raise NotImplementedError("The admin log is the DynamoDB audit trail.")

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> None:
        raise NotImplementedError("The admin log is the DynamoDB audit trail.")

    def log_deletion(self, request: HttpRequest, obj: Any, object_repr: str) -> None:
        raise NotImplementedError("The admin log is the DynamoDB audit trail.")

    def log_deletions(self, request: HttpRequest, queryset: Any) -> None:
        raise NotImplementedError("The admin log is the DynamoDB audit trail.")


# --- photos --------------------------------------------------------------------------------------


@admin.register(PhotoEntry)
class PhotoAdmin(NonOrmAdmin):
    """Photos: list (newest first), detail, hide / unhide / delete singly and in bulk."""

    moderate_permission = "moderate_photo"

    def get_urls(self) -> list:
        return [
            path("", self.view(self.changelist_view), name=self.url_name("changelist")),
            path(
                "delete/",
                self.view(self.delete_selected_view),
                name=self.url_name("delete_selected"),
            ),
            path(
                "<str:photo_id>/change/", self.view(self.detail_view), name=self.url_name("change")
            ),
            path(
                "<str:photo_id>/action/", self.view(self.action_view), name=self.url_name("action")
            ),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if request.method == "POST":
            return self.bulk_action(request)
        params = request.GET
        status = params.get("status", STATUS_VISIBLE)
        if status not in {STATUS_VISIBLE, STATUS_HIDDEN, ""}:
            status = STATUS_VISIBLE
        filters = {
            "status": status,
            "owner": params.get("owner", "").strip(),
            "q": params.get("q", "").strip(),
            "date_from": params.get("date_from", ""),
            "date_to": params.get("date_to", ""),
        }
        page = self.page_or_first(
            request,
            lambda: selectors.photo_list(
                status=status,
                owner_sub=filters["owner"],
                q=filters["q"],
                date_from=_day(filters["date_from"], end=False),
                date_to=_day(filters["date_to"], end=True),
                cursor=params.get("cursor") or None,
            ),
            selectors.Page(),
        )
        return render(
            request,
            "admin/moderation/photo_list.html",
            self.context(
                request,
                _("Photos"),
                page=page,
                rows=[
                    (photo, self.thumbnail_url(photo), ip)
                    for photo, ip in _ips_shown(request, page.items)
                ],
                filters=filters,
                next_url=_next_url(filters, page.cursor),
                first_url=_first_url(filters),
                status_choices=[
                    (STATUS_VISIBLE, pgettext("photo status", "Visible")),
                    (STATUS_HIDDEN, pgettext("photo status", "Hidden")),
                ],
                actions=_bulk_actions("photos"),
                hide_reasons=_hide_reasons(),
            ),
        )

    @staticmethod
    def thumbnail_url(photo: Any) -> str:
        """A presigned address of the photo's grid image (the bucket is private)."""
        if not photo.grid_key:
            return ""
        return storage.object_url(photo.grid_key, expires_in=IMAGE_URL_SECONDS)

    def bulk_action(self, request: HttpRequest) -> HttpResponse:
        self.require_moderate(request)
        action = request.POST.get("action", "")
        selected = request.POST.getlist("_selected_action")
        if not selected:
            messages.warning(request, _("Select photos first; nothing was changed."))
            return _back(request, self.url("changelist"))
        if action == "delete":
            ids = ",".join(value.split("@", 1)[0] for value in selected)
            return HttpResponseRedirect(self.url("delete_selected") + "?" + urlencode({"ids": ids}))
        if action not in {"hide", "unhide"}:
            messages.error(request, _("Choose an action."))
            return _back(request, self.url("changelist"))
        done = 0
        for value in selected:
            photo_id, _sep, version = value.partition("@")
            if self._change(request, action, photo_id, _version(version)):
                done += 1
        if done:
            messages.success(
                request,
                (
                    ngettext("Hid %(count)d photo.", "Hid %(count)d photos.", done)
                    if action == "hide"
                    else ngettext("Unhid %(count)d photo.", "Unhid %(count)d photos.", done)
                )
                % {"count": done},
            )
        return _back(request, self.url("changelist"))

    def _change(
        self, request: HttpRequest, action: str, photo_id: str, version: int | None
    ) -> bool:
        try:
            if action == "hide":
                # Why (gallery.hide_reasons): the owner reads it on the photo's page.
                services.photo_hide(
                    actor=request.user,
                    photo_id=photo_id,
                    expected_version=version,
                    reason=request.POST.get("reason", ""),
                    note=request.POST.get("note", ""),
                )
            else:
                services.photo_unhide(
                    actor=request.user, photo_id=photo_id, expected_version=version
                )
        except GalleryError as exc:
            messages.error(
                request, _("%(name)s: %(message)s") % {"name": photo_id, "message": exc.message}
            )
            return False
        return True

    def detail_view(self, request: HttpRequest, photo_id: str) -> HttpResponse:
        photo = selectors.photo_get(photo_id=photo_id)
        if photo is None or photo.status not in {STATUS_VISIBLE, STATUS_HIDDEN}:
            messages.warning(
                request,
                _("No photo with id “%(id)s”; it may have been deleted.") % {"id": photo_id},
            )
            return HttpResponseRedirect(self.url("changelist"))
        image_url = (
            storage.object_url(photo.display_key, expires_in=IMAGE_URL_SECONDS)
            if photo.display_key
            else ""
        )
        comments = selectors.comment_list_for_photo(photo_id=photo_id, limit=20).items
        (_photo, uploader_ip), *comment_rows = _ips_shown(request, [photo, *comments])
        # The uploader's address as the retention rule lets this moderator see it.
        fields = [
            (name, uploader_ip if name == "uploader_ip" else getattr(photo, name))
            for name in sorted(photo.get_attributes())
        ]
        return render(
            request,
            "admin/moderation/photo_detail.html",
            self.context(
                request,
                _("Photo “%(name)s”") % {"name": photo.name},
                photo=photo,
                image_url=image_url,
                fields=fields,
                comments=comment_rows,
                comments_url=reverse("admin:moderation_commententry_changelist")
                + "?"
                + urlencode({"photo": photo_id}),
                links=selectors.share_link_list_active(photo_id=photo_id),
                links_url=reverse("admin:moderation_sharelinkentry_changelist")
                + "?"
                + urlencode({"photo": photo_id}),
                history=self.history("photo", photo_id),
                hide_reasons=_hide_reasons(),
                hidden_reason_label=hide_reason_label(photo.hidden_reason),
            ),
        )

    def action_view(self, request: HttpRequest, photo_id: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseRedirect(self.url("change", photo_id))
        self.require_moderate(request)
        action = request.POST.get("action", "")
        if action == "delete":
            return HttpResponseRedirect(
                self.url("delete_selected") + "?" + urlencode({"ids": photo_id})
            )
        if action in {"hide", "unhide"} and self._change(
            request, action, photo_id, _version(request.POST.get("version", ""))
        ):
            messages.success(
                request,
                _("The photo is hidden.") if action == "hide" else _("The photo is visible again."),
            )
        return HttpResponseRedirect(self.url("change", photo_id))

    def delete_selected_view(self, request: HttpRequest) -> HttpResponse:
        self.require_moderate(request)
        source = request.POST if request.method == "POST" else request.GET
        ids = [i for i in source.get("ids", "").split(",") if i][:100]
        photos = [p for p in (selectors.photo_get(photo_id=i) for i in ids) if p is not None]
        if request.method == "POST" and request.POST.get("post") == "yes":
            deleted = 0
            for photo in photos:
                try:
                    services.photo_delete(actor=request.user, photo=photo)
                    deleted += 1
                except GalleryError as exc:
                    messages.error(
                        request,
                        _("%(name)s: %(message)s") % {"name": photo.name, "message": exc.message},
                    )
            messages.success(
                request,
                ngettext("Deleted %(count)d photo.", "Deleted %(count)d photos.", deleted)
                % {"count": deleted},
            )
            return HttpResponseRedirect(self.url("changelist"))
        if not photos:
            messages.warning(request, _("Those photos no longer exist."))
            return HttpResponseRedirect(self.url("changelist"))
        return self.delete_confirmation(
            request,
            kind="photo",
            objects=[
                ngettext(
                    "%(name)s — %(owner)s (%(when)s UTC), %(count)d comment",
                    "%(name)s — %(owner)s (%(when)s UTC), %(count)d comments",
                    p.comment_count,
                )
                % {
                    "name": p.name,
                    "owner": p.owner_name,
                    "when": f"{p.uploaded_at.astimezone(UTC):%Y-%m-%d %H:%M}",
                    "count": p.comment_count,
                }
                for p in photos
            ],
            hidden_fields={"ids": ",".join(p.photo_id for p in photos)},
        )


def _hide_reasons() -> list[tuple[str, str]]:
    """The reasons a moderator picks from to hide a photo, labelled in the admin's language."""
    return [(code, _(label)) for code, label in HIDE_REASONS.items()]


def _ips_shown(request: HttpRequest, items: list) -> list[tuple[Any, str]]:
    """Pair each photo or comment with its IP as this moderator may see it, by the rule of the
    pages and the API (gallery.policy.ip_visible): whole while retained, truncated after; one
    BatchGetItem for the lot."""
    retained = gallery_selectors.ip_retained_for(viewer=request.user, items=items)
    return [
        (item, policy.ip_visible(viewer=request.user, item=item, retained=retained))
        for item in items
    ]


# --- comments ------------------------------------------------------------------------------------


@admin.register(CommentEntry)
class CommentAdmin(NonOrmAdmin):
    """Comments: newest first across the site, hidden ones, or one photo's; moderate them."""

    moderate_permission = "moderate_comment"

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if request.method == "POST":
            return self.bulk_action(request)
        photo_id = request.GET.get("photo", "").strip()
        hidden_only = request.GET.get("hidden") == "1"
        cursor = request.GET.get("cursor") or None
        page = self.page_or_first(
            request,
            lambda: (
                selectors.comment_list_for_photo(photo_id=photo_id, cursor=cursor)
                if photo_id
                else selectors.comment_list_recent(hidden_only=hidden_only, cursor=cursor)
            ),
            selectors.Page(),
        )
        filters = {"photo": photo_id, "hidden": "1" if hidden_only else ""}
        # One BatchGetItem for the page: a comment's photo is shown by its name, not its id.
        names = selectors.photo_names(photo_ids=[comment.photo_id for comment in page.items])
        return render(
            request,
            "admin/moderation/comment_list.html",
            self.context(
                request,
                _("Comments"),
                page=page,
                rows=[
                    (comment, names.get(comment.photo_id, ""), ip)
                    for comment, ip in _ips_shown(request, page.items)
                ],
                photo_id=photo_id,
                hidden_only=hidden_only,
                photo_url=self.photo_url(photo_id) if photo_id else "",
                next_url=_next_url(filters, page.cursor),
                actions=_bulk_actions("comments"),
            ),
        )

    @staticmethod
    def photo_url(photo_id: str) -> str:
        return reverse("admin:moderation_photoentry_change", args=[photo_id])

    def bulk_action(self, request: HttpRequest) -> HttpResponse:
        self.require_moderate(request)
        action = request.POST.get("action", "")
        selected = []
        for value in request.POST.getlist("_selected_action"):
            photo_id, _sep, rest = value.partition("|")
            created_key, _sep, version = rest.partition("|")
            if photo_id and created_key:
                selected.append((photo_id, created_key, _version(version)))
        if not selected:
            messages.warning(request, _("Select comments first; nothing was changed."))
            return _back(request, self.url("changelist"))
        if action == "delete" and request.POST.get("post") != "yes":
            found = (selectors.comment_get(photo_id=p, created_key=k) for p, k, _v in selected)
            comments = [c for c in found if c is not None]
            return self.delete_confirmation(
                request,
                kind="comment",
                objects=[
                    _("%(author)s: “%(body)s” (%(when)s UTC)")
                    % {
                        "author": c.author_name,
                        "body": c.body[:120],
                        "when": f"{c.created_at.astimezone(UTC):%Y-%m-%d %H:%M}",
                    }
                    for c in comments
                ],
                selected=request.POST.getlist("_selected_action"),
                hidden_fields={"action": "delete", "next": request.POST.get("next", "")},
            )
        done = 0
        for photo_id, created_key, version in selected:
            try:
                if action == "delete":
                    comment = selectors.comment_get(photo_id=photo_id, created_key=created_key)
                    if comment is None:
                        continue
                    services.comment_delete(actor=request.user, comment=comment)
                elif action in {"hide", "unhide"}:
                    service = services.comment_hide if action == "hide" else services.comment_unhide
                    service(
                        actor=request.user,
                        photo_id=photo_id,
                        created_key=created_key,
                        expected_version=version,
                    )
                else:
                    messages.error(request, _("Choose an action."))
                    break
                done += 1
            except GalleryError as exc:
                messages.error(request, exc.message)
        if done:
            said = {
                "hide": ngettext("Hid %(count)d comment.", "Hid %(count)d comments.", done),
                "unhide": ngettext("Unhid %(count)d comment.", "Unhid %(count)d comments.", done),
                "delete": ngettext(
                    "Deleted %(count)d comment.", "Deleted %(count)d comments.", done
                ),
            }[action]
            messages.success(request, said % {"count": done})
        return _back(request, self.url("changelist"))


# --- share links ---------------------------------------------------------------------------------


@admin.register(ShareLinkEntry)
class ShareLinkAdmin(NonOrmAdmin):
    """Active share links of one photo or one user; revoke them."""

    moderate_permission = "revoke_sharelink"

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if request.method == "POST":
            self.require_moderate(request)
            revoked = 0
            for token in request.POST.getlist("_selected_action"):
                link = selectors.share_link_get(token=token)
                if link is None:
                    continue
                try:
                    services.share_link_revoke(actor=request.user, link=link)
                    revoked += 1
                except GalleryError as exc:
                    messages.error(request, exc.message)
            messages.success(
                request,
                ngettext("Revoked %(count)d link.", "Revoked %(count)d links.", revoked)
                % {"count": revoked},
            )
            return _back(request, self.url("changelist"))
        photo_id = request.GET.get("photo", "").strip()
        owner = request.GET.get("owner", "").strip()
        links = selectors.share_link_list_active(photo_id=photo_id, owner_sub=owner)
        return render(
            request,
            "admin/moderation/sharelink_list.html",
            self.context(
                request,
                _("Active share links"),
                links=links,
                photo_id=photo_id,
                owner=owner,
            ),
        )


# --- Cognito users -------------------------------------------------------------------------------


@admin.register(CognitoUser)
class CognitoUserAdmin(NonOrmAdmin):
    """Users of the User Pool: search, inspect, enable / disable, groups, invite."""

    moderate_permission = "manage_cognito_user"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.may_moderate(request)

    def get_urls(self) -> list:
        return [
            path("", self.view(self.changelist_view), name=self.url_name("changelist")),
            path("add/", self.view(self.invite_view), name=self.url_name("add")),
            path(
                "<str:username>/change/", self.view(self.detail_view), name=self.url_name("change")
            ),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        query = request.GET.get("q", "").strip()
        attribute = request.GET.get("attribute", "email")
        users_page: list = []
        token = None
        try:
            users_page, token = services.users.user_list(
                query=query, attribute=attribute, token=request.GET.get("cursor") or None
            )
        except CognitoError as exc:
            messages.error(
                request, _("Cognito refused the listing (%(code)s).") % {"code": exc.code}
            )
        return render(
            request,
            "admin/moderation/user_list.html",
            self.context(
                request,
                _("Cognito users"),
                users=users_page,
                query=query,
                attribute=attribute,
                next_url=_next_url({"q": query, "attribute": attribute}, token),
                may_add=self.has_add_permission(request),
                add_url=self.url("add"),
            ),
        )

    def detail_view(self, request: HttpRequest, username: str) -> HttpResponse:
        if request.method == "POST":
            return self.change(request, username)
        try:
            user = services.users.user_get(username=username)
        except CognitoError as exc:
            messages.error(
                request, _("No such user, or Cognito refused (%(code)s).") % {"code": exc.code}
            )
            return HttpResponseRedirect(self.url("changelist"))
        return render(
            request,
            "admin/moderation/user_detail.html",
            self.context(
                request,
                _("User %(name)s") % {"name": user.email or user.username},
                pool_user=user,
                managed_groups=[(g, g in user.groups) for g in services.users.MANAGED_GROUPS],
                photos_url=reverse("admin:moderation_photoentry_changelist")
                + "?"
                + urlencode({"owner": user.sub, "status": ""}),
                links_url=reverse("admin:moderation_sharelinkentry_changelist")
                + "?"
                + urlencode({"owner": user.sub}),
                history=self.history("user", username),
            ),
        )

    def change(self, request: HttpRequest, username: str) -> HttpResponse:
        self.require_moderate(request)
        action = request.POST.get("action", "")
        group = request.POST.get("group", "")
        if action in {"disable", "enable"} and username == request.user.get_username():
            messages.error(request, _("You cannot disable or enable yourself here."))
            return HttpResponseRedirect(self.url("change", username))
        try:
            if action == "disable":
                services.user_disable(actor=request.user, username=username)
                messages.success(request, _("The user is disabled and signed out everywhere."))
            elif action == "enable":
                services.user_enable(actor=request.user, username=username)
                messages.success(request, _("The user is enabled."))
            elif action in {"group_add", "group_remove"}:
                services.user_group_set(
                    actor=request.user, username=username, group=group, member=action == "group_add"
                )
                messages.success(request, _("The user’s groups were changed."))
            else:
                messages.error(request, _("Choose an action."))
        except CognitoError as exc:
            messages.error(
                request,
                _("Cognito refused: %(message)s (%(code)s)")
                % {"message": exc.message, "code": exc.code},
            )
        return HttpResponseRedirect(self.url("change", username))

    def invite_view(self, request: HttpRequest) -> HttpResponse:
        self.require_moderate(request)
        email = request.POST.get("email", "").strip()
        name = request.POST.get("name", "").strip()
        error = ""
        if request.method == "POST":
            if "@" not in email or len(email) > 254:
                error = _("That is not an email address.")
            else:
                try:
                    user = services.user_invite(actor=request.user, email=email, display_name=name)
                except CognitoError as exc:
                    error = _("Cognito refused the invitation: %(message)s (%(code)s)") % {
                        "message": exc.message,
                        "code": exc.code,
                    }
                else:
                    messages.success(
                        request,
                        _("Invited %(email)s; Cognito emails them a temporary password.")
                        % {"email": user.email},
                    )
                    return HttpResponseRedirect(self.url("change", user.username))
        return render(
            request,
            "admin/moderation/user_invite.html",
            self.context(
                request,
                _("Invite a user"),
                email=email,
                name=name,
                error=error,
            ),
        )


# --- the audit trail -----------------------------------------------------------------------------


def _event_ref(event: AuditEvent) -> str:
    """Return one event's id for its URL: its two keys joined (object keys contain no `|`)."""
    return f"{event.object_key}|{event.created_key}"


@admin.register(ModerationEvent)
class AuditAdmin(NonOrmAdmin):
    """The audit trail (DynamoDB): read-only, newest first, filterable, paged by cursor."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def may_moderate(self, request: HttpRequest) -> bool:
        return False

    def get_urls(self) -> list:
        return [
            path("", self.view(self.changelist_view), name=self.url_name("changelist")),
            path("<path:ref>/change/", self.view(self.detail_view), name=self.url_name("change")),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        params = request.GET
        form = {
            name: params.get(name, "").strip()[:300]
            for name in ("actor", "action", "object_type", "object_id", "date_from", "date_to")
        }
        filters = EventFilters(
            actor=form["actor"],
            action=form["action"],
            object_type=form["object_type"],
            object_id=form["object_id"],
            date_from=parse_date(form["date_from"]) if form["date_from"] else None,
            date_to=parse_date(form["date_to"]) if form["date_to"] else None,
        )
        if form["object_id"] and not form["object_type"]:
            messages.warning(request, _("Choose the object’s type to see its history."))
        page = self.page_or_first(
            request,
            lambda: audit_selectors.event_page(
                filters=filters, cursor=params.get("cursor") or None
            ),
            audit_selectors.EventPage(),
            errors=(BadCursor, ValueError),
        )
        return render(
            request,
            "admin/moderation/audit_list.html",
            self.context(
                request,
                _("Audit trail"),
                events=[(event, _event_ref(event)) for event in page.items],
                filters=form,
                actions=[(action, audit_action_label(action)) for action in AUDIT_ACTIONS],
                object_types=[
                    (kind, object_type_label(kind))
                    for kind in ("photo", "comment", "sharelink", "user")
                ],
                next_url=_next_url(form, page.cursor),
                first_url=_first_url(form),
            ),
        )

    def detail_view(self, request: HttpRequest, ref: str) -> HttpResponse:
        key, _sep, created_key = ref.partition("|")
        event = audit_selectors.event_get(key=key, created_key=created_key) if created_key else None
        if event is None:
            messages.warning(request, _("No such audit event."))
            return HttpResponseRedirect(self.url("changelist"))
        fields = [
            # (label, value, stored: recorded text shown as written, not to be translated)
            (_("When (UTC)"), f"{event.created_at.astimezone(UTC):%Y-%m-%d %H:%M:%S}", False),
            (_("Who"), event.actor_name, True),
            (_("Actor (Cognito sub)"), event.actor_sub, True),
            (_("Action"), audit_action_label(event.action), False),
            (_("Object type"), object_type_label(event.object_type), False),
            (_("Object id"), event.object_id, True),
            (_("Object"), event.object_repr, True),
            (_("Detail"), event.detail, True),
        ]
        return render(
            request,
            "admin/moderation/audit_detail.html",
            self.context(
                request,
                _("Audit event: %(action)s") % {"action": audit_action_label(event.action)},
                event=event,
                fields=fields,
            ),
        )


# --- reports (their own module; registered when the admin autodiscovers this one) ----------------

from moderation import report_admin  # noqa: E402, F401
