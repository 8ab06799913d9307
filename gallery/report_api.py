"""The reports' JSON API, mounted at /api/reports by photosite.api.

Any signed-in caller reports a photo or a comment (`POST /api/reports`); moderators list the
items with open reports (`GET /api/reports`), read one item's reports, and resolve them
(`POST /api/reports/{id}/resolve`: hide or dismiss). The rules are the services' (the page
and the admin use the same ones); every refusal is `{code, message}` with its status.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status
from pydantic import Field

from accounts.api_auth import CognitoBearerOrSession
from gallery import report_selectors
from gallery.errors import Forbidden, NotFound, gettext_noop
from gallery.report_models import KIND_COMMENT, KIND_PHOTO, Report, ReportCase, case_item_key
from gallery.services import reports

router = Router(auth=CognitoBearerOrSession(), tags=["reports"])

Reason = Literal["spam", "harassment", "sexual", "violence", "copyright", "other"]


class ErrorOut(Schema):
    code: str
    message: str


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class ReportIn(Schema):
    photo_id: str = Field(min_length=1, max_length=300)
    comment_key: str = Field(
        "",
        max_length=300,
        description="A comment's `key` (from the photo's comments) to report it; empty to "
        "report the photo itself.",
    )
    reason: Reason
    note: str = Field("", description=f"Optional, at most {reports.NOTE_MAX_CHARS} characters.")
    share_token: str = Field(
        "",
        max_length=300,
        description="The token of a live share link that shows the photo, for a caller who "
        "sees it only through that link.",
    )


class ReportOut(Schema):
    id: str = Field(description="The reported item's id in the moderators' queue.")
    kind: str
    photo_id: str
    comment_key: str | None
    reason: str
    note: str
    created_at: datetime
    created: bool = Field(
        description="False when the caller had reported this item already: the first report "
        "stands, and counts once."
    )


class ReportedItemOut(Schema):
    id: str
    kind: str = Field(description="photo or comment")
    photo_id: str
    comment_key: str | None
    text: str = Field(description="A photo's name or a comment's text, as last reported.")
    author: str
    open_reports: int
    reasons: dict[str, int] = Field(description="Open reports per reason.")
    last_reported_at: datetime
    page_url: str


class ReportedItemPageOut(Schema):
    items: list[ReportedItemOut]
    cursor: str | None


class OpenReportOut(Schema):
    reason: str
    note: str
    created_at: datetime
    reporter_name: str = Field(description="Empty for a signed-out visitor.")
    reporter_network: str = Field(description="The reporter's network only (IPv4 /24, /48).")
    via_link: bool


class ReportedItemDetailOut(ReportedItemOut):
    is_open: bool
    reports: list[OpenReportOut]


class ResolveIn(Schema):
    action: Literal["hide", "dismiss"]


class ResolveOut(Schema):
    id: str
    action: str
    resolved: int = Field(description="How many open reports this call resolved.")
    already_resolved: bool = Field(
        description="Another moderator resolved them first (or none were open): nothing changed."
    )


def _user(request: HttpRequest):
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, AbstractBaseUser) else request.user


def _moderator(request: HttpRequest):
    """Return the caller if they may resolve reports of photos or comments; else Forbidden."""
    user = _user(request)
    if not any(reports.may_resolve(actor=user, kind=kind) for kind in (KIND_PHOTO, KIND_COMMENT)):
        raise Forbidden(gettext_noop("Only a moderator can resolve reports."))
    return user


def _case_key(case_id: str) -> str:
    item_key = case_item_key(case_id)
    if item_key is None:
        raise NotFound(reports.NO_SUCH_CASE)
    return item_key


def _item_out(request: HttpRequest, case: ReportCase) -> dict:
    page = reverse("gallery:photo_detail", args=[case.photo_id])
    return {
        "id": case.case_id,
        "kind": case.kind,
        "photo_id": case.photo_id,
        "comment_key": case.created_key,
        "text": case.item_text,
        "author": case.item_author,
        "open_reports": int(case.open_count or 0),
        "reasons": case.reason_counts(),
        "last_reported_at": case.last_reported_at,
        "page_url": request.build_absolute_uri(page),
    }


def _report_out(report: Report) -> dict:
    return {
        "reason": report.reason,
        "note": report.note,
        "created_at": report.created_at,
        "reporter_name": report.reporter_name,
        "reporter_network": report.reporter_network,
        "via_link": report.via_link,
    }


@router.post("", response={200: ReportOut, 201: ReportOut, 429: ErrorOut, **ERRORS})
def report_create(request: HttpRequest, payload: ReportIn):
    """Report a photo, or one of its comments, for a reason (with an optional note). Reporting
    the same item again while your report is open returns it (200, `created: false`)."""
    outcome = reports.report_create(
        photo_id=payload.photo_id,
        comment_key=payload.comment_key,
        reason=payload.reason,
        note=payload.note,
        reporter=_user(request),
        ip=request.client_ip,
        share_token=payload.share_token,
    )
    report = outcome.report
    kind, _, rest = report.item_key.partition("#")
    photo_id, _, comment_key = rest.partition("#")
    body = {
        "id": ReportCase(report.item_key).case_id,
        "kind": kind,
        "photo_id": photo_id,
        "comment_key": comment_key or None,
        "reason": report.reason,
        "note": report.note,
        "created_at": report.created_at,
        "created": outcome.created,
    }
    return Status(201 if outcome.created else 200, body)


@router.get("", response={200: ReportedItemPageOut, **ERRORS})
def report_queue(request: HttpRequest, cursor: str | None = None):
    """Moderators: the items with open reports, the latest report first, 25 a page; pass
    `cursor` for the next page."""
    _moderator(request)
    page = report_selectors.report_queue(cursor=cursor)
    return {"items": [_item_out(request, case) for case in page.items], "cursor": page.cursor}


@router.get("/{case_id}", response={200: ReportedItemDetailOut, **ERRORS})
def report_item(request: HttpRequest, case_id: str):
    """Moderators: one reported item and its open reports, newest first."""
    _moderator(request)
    item_key = _case_key(case_id)
    case = report_selectors.report_case_find(item_key=item_key)
    if case is None:
        raise NotFound(reports.NO_SUCH_CASE)
    return {
        **_item_out(request, case),
        "is_open": case.is_open,
        "reports": [_report_out(r) for r in report_selectors.report_list_open(item_key=item_key)],
    }


@router.post("/{case_id}/resolve", response={200: ResolveOut, **ERRORS})
def report_resolve(request: HttpRequest, case_id: str, payload: ResolveIn):
    """Moderators: hide the item or dismiss its reports; either resolves every open report of
    it, once, with one audit event. Needs the permission to moderate that kind of item."""
    result = reports.report_resolve(
        item_key=_case_key(case_id), action=payload.action, actor=_moderator(request)
    )
    return {
        "id": case_id,
        "action": result.action,
        "resolved": result.resolved,
        "already_resolved": result.already,
    }
