"""The admin's queue of reports: reported items, latest report first, and hide or dismiss.

Registered from moderation.admin (the admin autodiscovers that module only). One row per
reported photo or comment, with what was reported beside it (a photo's thumbnail and name, a
comment's text and author), how many open reports it has and for what. Acting on a row
resolves every open report of that item through gallery.services.reports, which hides the item
through the moderation services, writes the audit event, and resolves once however many
moderators press the button at the same moment.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from gallery import report_selectors, storage
from gallery.cursors import BadCursor
from gallery.errors import GalleryError
from gallery.paging import Page
from gallery.report_forms import reason_label
from gallery.report_models import KIND_COMMENT, ReportCase, case_item_key
from gallery.services import reports
from moderation.admin import IMAGE_URL_SECONDS, NonOrmAdmin
from moderation.models import ReportEntry


def item_admin_url(case: ReportCase) -> str:
    """Return the admin page of a reported item: a photo's, or its photo's comment list."""
    if case.kind == KIND_COMMENT:
        return (
            reverse("admin:moderation_commententry_changelist")
            + "?"
            + urlencode({"photo": case.photo_id})
        )
    return reverse("admin:moderation_photoentry_change", args=[case.photo_id])


def item_site_url(case: ReportCase) -> str:
    """Return where the site shows the item (a comment by its anchor on the photo's page)."""
    url = reverse("gallery:photo_detail", args=[case.photo_id])
    if case.kind == KIND_COMMENT and case.created_key:
        return f"{url}#c-{case.created_key.rsplit('#', 1)[-1]}"
    return url


@admin.register(ReportEntry)
class ReportAdmin(NonOrmAdmin):
    """Open reports, grouped by reported item; hide the item or dismiss its reports."""

    def may_moderate(self, request: HttpRequest) -> bool:
        """Resolving needs the permission of the item's kind; the service checks which."""
        user = request.user
        return user.is_active and (
            user.has_perm("moderation.moderate_photo")
            or user.has_perm("moderation.moderate_comment")
        )

    def get_urls(self) -> list:
        return [
            path("", self.view(self.changelist_view), name=self.url_name("changelist")),
            path("<str:case>/change/", self.view(self.detail_view), name=self.url_name("change")),
            path(
                "<str:case>/resolve/", self.view(self.resolve_view), name=self.url_name("resolve")
            ),
        ]

    def row(self, case: ReportCase) -> dict[str, Any]:
        return {
            "case": case,
            "kind": _("Comment") if case.kind == KIND_COMMENT else _("Photo"),
            "thumbnail_url": (
                storage.object_url(case.grid_key, expires_in=IMAGE_URL_SECONDS)
                if case.grid_key
                else ""
            ),
            "reasons": [(reason_label(r), n) for r, n in case.reason_counts().items()],
            "admin_url": item_admin_url(case),
            "site_url": item_site_url(case),
            "detail_url": self.url("change", case.case_id),
            "resolve_url": self.url("resolve", case.case_id),
        }

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        page = self.page_or_first(
            request,
            lambda: report_selectors.report_queue(cursor=request.GET.get("cursor") or None),
            Page(),
            errors=(BadCursor,),
        )
        return render(
            request,
            "admin/moderation/report_list.html",
            self.context(
                request,
                _("Reports waiting for a moderator"),
                rows=[self.row(case) for case in page.items],
                next_url=f"?{urlencode({'cursor': page.cursor})}" if page.cursor else "",
            ),
        )

    def detail_view(self, request: HttpRequest, case: str) -> HttpResponse:
        item_key = case_item_key(case)
        found = report_selectors.report_case_find(item_key=item_key) if item_key else None
        if found is None:
            messages.warning(request, _("No reports of that item."))
            return HttpResponseRedirect(self.url("changelist"))
        return render(
            request,
            "admin/moderation/report_detail.html",
            self.context(
                request,
                _("Reports of this item"),
                row=self.row(found),
                reports=[
                    (report, reason_label(report.reason))
                    for report in report_selectors.report_list_open(item_key=found.item_key)
                ],
                history=self.history(
                    found.kind,
                    f"{found.photo_id}/{found.created_key}"
                    if found.kind == KIND_COMMENT
                    else found.photo_id,
                ),
            ),
        )

    def resolve_view(self, request: HttpRequest, case: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseRedirect(self.url("change", case))
        item_key = case_item_key(case)
        action = request.POST.get("action", "")
        if item_key is None:
            messages.error(request, _("No reports of that item."))
            return HttpResponseRedirect(self.url("changelist"))
        try:
            result = reports.report_resolve(item_key=item_key, action=action, actor=request.user)
        except GalleryError as exc:
            if exc.status == 403:
                self.require_moderate(request)  # no permission at all: the admin's 403 page
            messages.error(request, exc.message)
            return HttpResponseRedirect(self.url("changelist"))
        if result.already:
            messages.info(request, _("These reports were already resolved; nothing was changed."))
        elif action == "hide":
            messages.success(
                request,
                _("Hidden; %(count)d report(s) resolved.") % {"count": result.resolved},
            )
        else:
            messages.success(
                request,
                _("Dismissed %(count)d report(s); the item stays.") % {"count": result.resolved},
            )
        return HttpResponseRedirect(self.url("changelist"))
