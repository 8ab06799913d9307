"""Reports: any viewer reports a photo or a comment; a moderator hides the item or dismisses them.

Writing a report is two single-item writes (gallery.report_models): the report itself, a PutItem
conditional on the reporter having no open report of that item (so a double click or a retry
is one report), then the item's case, whose counters go up by atomic ADDs, conditional on the
reporter not being counted yet; it joins the moderators' queue (sparse index `open`). Both are
idempotent, so a retry after a failure between them completes the count without doubling it.

Resolving is one conditional update of the case (it must still be open with the counts the
moderator's read saw): of two moderators acting at once exactly one wins, hides the item
through the moderation services (gallery.services.moderation) or not, and writes the one audit
event; the other is told it was already done. The reports themselves are then marked resolved
and given a TTL, so DynamoDB purges them later.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils.crypto import salted_hmac
from pynamodb.exceptions import DoesNotExist, GetError, PutError, UpdateError

from accounts import ratelimit
from core.client_ip import truncate_ip
from core.transactions import condition_failed
from gallery import policy, report_selectors
from gallery.audit import moderation_record
from gallery.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited, gettext_noop
from gallery.models import Comment, Photo, time_key
from gallery.report_models import (
    KIND_COMMENT,
    KIND_PHOTO,
    OPEN_PARTITION,
    REASONS,
    RESOLUTION_DISMISSED,
    RESOLUTION_HIDDEN,
    STATUS_OPEN,
    STATUS_RESOLVED,
    Report,
    ReportCase,
    report_item_key,
)
from gallery.services import common
from gallery.services import moderation as gallery_moderation

logger = logging.getLogger(__name__)

NOTE_MAX_CHARS = 1000
# Copied into the case for the queue: enough of a comment to judge it, within an item's size.
TEXT_MAX_CHARS = 600
ACTIONS = ("hide", "dismiss")
ATTEMPTS = 5

NO_SUCH_CASE = gettext_noop("No open reports for this item; it may have been resolved already.")


@dataclass(frozen=True)
class ReportOutcome:
    """The reporter's report of the item, and whether this call made it (False: made before)."""

    report: Report
    created: bool


@dataclass(frozen=True)
class Resolution:
    """What resolving a case did: the action, how many reports it closed, and whether another
    moderator had resolved it already (then this call changed nothing and recorded nothing)."""

    case: ReportCase
    action: str
    resolved: int
    already: bool


# --- reporting -----------------------------------------------------------------------------------


def reporter_key(*, reporter: Any, ip: str) -> str:
    """Return who a report is from: the user's sub, else a keyed hash of the visitor's address
    (the address itself is never stored; a hash of an IPv4 address without a key is not safe)."""
    if reporter is not None and reporter.is_authenticated:
        return f"user#{reporter.get_username()}"
    digest = salted_hmac("gallery.reports.reporter", ip or "unknown", algorithm="sha256")
    return f"ip#{digest.hexdigest()[:32]}"


def _reason_checked(reason: str) -> str:
    if reason not in REASONS:
        raise Invalid(gettext_noop("Choose a reason for the report."), code="reason")
    return reason


def _note_checked(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX_CHARS:
        raise Invalid(
            gettext_noop("Keep the note under %(limit)d characters."),
            code="too_long",
            params={"limit": NOTE_MAX_CHARS},
        )
    common.refuse_control_characters(note, allowed="\n\r\t")
    return note


def _limit_hit(*, scope: str, subject: str, hits: int, now: datetime) -> None:
    limit = ratelimit.Limit(scope=scope, hits=hits, window=settings.PHOTOSITE_REPORT_RATE_WINDOW)
    if not ratelimit.hit(limit=limit, subject=subject, now=now.timestamp()):
        minutes = max(1, round(ratelimit.retry_after(limit=limit, now=now.timestamp()) / 60))
        raise RateLimited(
            gettext_noop(
                "You have sent too many reports for now; try again in %(minutes)d minutes."
            ),
            params={"minutes": minutes},
        )


def report_admit(*, reporter: Any, ip: str, now: datetime | None = None) -> None:
    """Count one report against the per-IP limit and, when signed in, the per-user limit;
    raise RateLimited past either (atomic counters shared by every instance)."""
    now = common.utc_now(now)
    _limit_hit(
        scope="report-ip",
        subject=ip or "unknown",
        hits=settings.PHOTOSITE_REPORT_IP_LIMIT,
        now=now,
    )
    if reporter is not None and reporter.is_authenticated:
        _limit_hit(
            scope="report-user",
            subject=reporter.get_username(),
            hits=settings.PHOTOSITE_REPORT_USER_LIMIT,
            now=now,
        )


def _case_actions(photo: Photo, comment: Comment | None, report: Report) -> list:
    reason_attribute = getattr(ReportCase, f"reason_{report.reason}")
    actions = [
        ReportCase.kind.set(KIND_COMMENT if comment else KIND_PHOTO),
        ReportCase.photo_id.set(photo.photo_id),
        ReportCase.item_text.set((comment.body if comment else photo.name)[:TEXT_MAX_CHARS] or "—"),
        ReportCase.item_author.set((comment.author_name if comment else photo.owner_name) or "—"),
        ReportCase.open_count.add(1),
        reason_attribute.add(1),
        ReportCase.last_key.set(report.created_key),
        ReportCase.last_reported_at.set(report.created_at),
        ReportCase.open_feed.set(OPEN_PARTITION),
        # An open case is never purged; a resolved one reported again is open again.
        ReportCase.expires_at.remove(),
    ]
    if comment:
        actions.append(ReportCase.created_key.set(comment.created_key))
    if photo.grid_key:
        actions.append(ReportCase.grid_key.set(photo.grid_key))
    return actions


def report_create(
    *,
    photo_id: str,
    reason: str,
    reporter: Any,
    ip: str,
    comment_key: str = "",
    note: str = "",
    share_token: str = "",
    now: datetime | None = None,
) -> ReportOutcome:
    """Report a photo (or, with `comment_key`, one of its comments) for `reason`.

    `reporter` is the request's user, signed in or not; `ip` the client's address (only its
    network is stored). Reporting again what the same reporter reported and no moderator has
    resolved yet returns the first report (created False): double clicks and retries are one
    report. Raises Invalid (reason, note, one's own item), NotFound (nothing the reporter may
    see) or RateLimited (too many reports from this address or user).
    """
    now = common.utc_now(now)
    reason = _reason_checked(reason)
    note = _note_checked(note)
    photo, comment = report_selectors.report_target_get(
        photo_id=photo_id,
        comment_key=comment_key,
        reporter=reporter,
        share_token=share_token,
        now=now,
    )
    report_admit(reporter=reporter, ip=ip, now=now)
    signed_in = reporter is not None and reporter.is_authenticated
    key = reporter_key(reporter=reporter, ip=ip)
    report = Report(
        item_key=report_item_key(photo.photo_id, comment.created_key if comment else None),
        reporter_key=key,
        reason=reason,
        note=note,
        created_at=now,
        created_key=time_key(now, hashlib.sha256(key.encode()).hexdigest()[:12]),
        reporter_sub=reporter.get_username() if signed_in else None,
        reporter_name=(reporter.get_full_name() or reporter.get_username()) if signed_in else "",
        reporter_network=truncate_ip(ip) if ip else "",
        via_link=bool(share_token) and not signed_in,
        status=STATUS_OPEN,
    )
    created = True
    try:
        report.save(condition=Report.item_key.does_not_exist() | (Report.status == STATUS_RESOLVED))
    except PutError as exc:
        if not condition_failed(exc):
            raise
        created, report = False, _report_existing(report)
    if report.is_open:
        _case_count(photo, comment, report)
    return ReportOutcome(report=report, created=created)


def _case_count(photo: Photo, comment: Comment | None, report: Report) -> None:
    """Count an open report in its item's case, once: the reporter joins `counted` in the
    same UpdateItem that adds to the counters, on condition that they are not in it yet."""
    try:
        ReportCase(report.item_key).update(
            actions=[
                *_case_actions(photo, comment, report),
                ReportCase.counted.add({report.reporter_key}),
            ],
            condition=~ReportCase.counted.contains(report.reporter_key),
        )
    except UpdateError as exc:
        if not condition_failed(exc):
            raise


def _report_existing(report: Report) -> Report:
    try:
        return Report.get(report.item_key, report.reporter_key, consistent_read=True)
    except (DoesNotExist, GetError):
        return report


# --- resolving -----------------------------------------------------------------------------------


def report_case_get(*, item_key: str) -> ReportCase:
    """Return a reported item's case, read consistently; NotFound if it was never reported."""
    try:
        return ReportCase.get(item_key, consistent_read=True)
    except ReportCase.DoesNotExist:
        raise NotFound(NO_SUCH_CASE) from None


def may_resolve(*, actor: Any, kind: str) -> bool:
    """Return whether the actor may resolve reports of this kind of item: the permission to
    moderate photos, or comments."""
    model = Comment if kind == KIND_COMMENT else Photo
    return bool(actor.is_active) and actor.has_perm(policy.MODERATION_PERMISSIONS[model])


def _claim(case: ReportCase, *, resolution: str, actor: Any, now: datetime) -> bool:
    """Close the case if it is still open with the counts read; return whether this call did."""
    reasons = [getattr(ReportCase, f"reason_{reason}") for reason in REASONS]
    try:
        case.update(
            actions=[
                ReportCase.open_feed.remove(),
                ReportCase.open_count.set(0),
                ReportCase.counted.remove(),
                *(attribute.remove() for attribute in reasons),
                ReportCase.resolution.set(resolution),
                ReportCase.resolved_at.set(now),
                ReportCase.resolved_by.set(actor.get_username()),
                ReportCase.resolved_count.set(case.open_count),
                ReportCase.expires_at.set(
                    now + timedelta(days=settings.PHOTOSITE_REPORT_RETENTION_DAYS)
                ),
            ],
            condition=ReportCase.open_feed.exists() & (ReportCase.open_count == case.open_count),
        )
    except UpdateError as exc:
        if condition_failed(exc):
            return False
        raise
    return True


def _reopen(case: ReportCase, *, count: int, reasons: dict[str, int], counted: set[str]) -> None:
    """Undo a claim whose hide failed: the reports are open again, nothing was recorded."""
    case.update(
        actions=[
            *([ReportCase.counted.add(counted)] if counted else []),
            ReportCase.open_feed.set(OPEN_PARTITION),
            ReportCase.open_count.add(count),
            *(getattr(ReportCase, f"reason_{r}").add(n) for r, n in reasons.items()),
            ReportCase.resolution.remove(),
            ReportCase.expires_at.remove(),
        ]
    )


def _hide(case: ReportCase) -> None:
    """Hide the reported item through the moderation services (hiding a hidden one is a no-op);
    an item deleted meanwhile needs nothing more."""
    for _attempt in range(ATTEMPTS):
        try:
            if case.kind == KIND_COMMENT:
                gallery_moderation.comment_hide(
                    photo_id=case.photo_id, created_key=case.created_key or ""
                )
            else:
                gallery_moderation.photo_hide(photo_id=case.photo_id)
        except NotFound:
            return
        except Conflict:
            continue  # changed between its read and its write: read it again
        return
    raise Conflict(gallery_moderation.PHOTO_STALE)


def _reports_close(case: ReportCase, *, resolution: str, now: datetime) -> None:
    """Mark the reports the claim covered resolved, with a TTL; a report made after the claim
    (its key is later) stays open, in the case it reopened."""
    bound = f"{now:%Y-%m-%dT%H:%M:%S.%fZ}#~"
    expires = now + timedelta(days=settings.PHOTOSITE_REPORT_RETENTION_DAYS)
    for report in Report.query(
        case.item_key,
        filter_condition=(Report.status == STATUS_OPEN) & (Report.created_key <= bound),
        consistent_read=True,
    ):
        try:
            report.update(
                actions=[
                    Report.status.set(STATUS_RESOLVED),
                    Report.resolution.set(resolution),
                    Report.expires_at.set(expires),
                ],
                condition=Report.created_key == report.created_key,
            )
        except UpdateError as exc:
            if not condition_failed(exc):
                raise


def _object_id(case: ReportCase) -> str:
    # As the moderation services name items in the audit trail, so they share one history.
    if case.kind == KIND_COMMENT:
        return f"{case.photo_id}/{case.created_key}"
    return case.photo_id


def report_resolve(
    *, item_key: str, action: str, actor: Any, now: datetime | None = None
) -> Resolution:
    """Resolve every open report of an item: `hide` it, or `dismiss` the reports.

    The actor needs the permission to moderate that kind of item (Forbidden otherwise).
    Exactly one of several moderators acting at once resolves the case and writes the audit
    event; the others get `already` True and change nothing. A case with no open reports is
    `already` resolved too.
    """
    if action not in ACTIONS:
        raise Invalid(gettext_noop("Choose hide or dismiss."), code="action")
    now = common.utc_now(now)
    case = report_case_get(item_key=item_key)
    if not may_resolve(actor=actor, kind=case.kind):
        raise Forbidden(gettext_noop("Only a moderator can resolve reports."))
    resolution = RESOLUTION_HIDDEN if action == "hide" else RESOLUTION_DISMISSED
    for _attempt in range(ATTEMPTS):
        if not case.is_open:
            return Resolution(case=case, action=action, resolved=0, already=True)
        count, reasons = int(case.open_count), case.reason_counts()
        counted = set(case.counted or ())
        if _claim(case, resolution=resolution, actor=actor, now=now):
            break
        # Another moderator resolved it, or a new report came in: read it again.
        case = report_case_get(item_key=item_key)
    else:
        raise Conflict(gettext_noop("These reports keep changing; reload and try again."))
    if action == "hide":
        try:
            _hide(case)
        except Exception:
            _reopen(case, count=count, reasons=reasons, counted=counted)
            raise
    _reports_close(case, resolution=resolution, now=now)
    summary = ", ".join(f"{reason} {n}" for reason, n in sorted(reasons.items()))
    moderation_record(
        actor=actor,
        action=action,
        object_type=case.kind,
        object_id=_object_id(case),
        object_repr=case.item_text[:100],
        detail=f"Resolved {count} report(s): {summary}",
        now=now,
    )
    return Resolution(case=case, action=action, resolved=count, already=False)
