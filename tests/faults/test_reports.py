"""AWS faults while reporting and resolving: a report whose count could not be written is
completed, once, by the reporter's retry; a hide that fails leaves the reports open and records
nothing, and the moderator's retry resolves them once."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from gallery import report_selectors, services
from gallery.models import Comment
from gallery.report_models import Report, ReportCase, case_id, report_item_key
from gallery.services import reports
from moderation.records import AuditEvent
from tests.accounts.users import sign_in, site_user

REPORT_CASES = "test-report-cases"
VISITOR = {"REMOTE_ADDR": "198.51.100.23"}


def test_a_count_that_could_not_be_written_is_completed_once_by_the_retry(
    quiet_client, make_photo, faults
):
    photo = make_photo()
    url = reverse("gallery:report_create", args=[photo.photo_id])
    rule = faults.fail("dynamodb", "UpdateItem", kind="refused", table=REPORT_CASES)

    failed = quiet_client.post(url, {"reason": "spam"}, **VISITOR)

    assert failed.status_code == 503 and rule.hits >= 1
    assert len(list(Report.scan())) == 1  # the report is kept, not yet counted
    assert report_selectors.report_queue().items == []
    faults.rules.clear()

    retried = quiet_client.post(url, {"reason": "spam"}, **VISITOR)
    quiet_client.post(url, {"reason": "spam"}, **VISITOR)  # and a double click after that

    assert retried.status_code == 200
    [case] = report_selectors.report_queue().items
    assert case.open_count == 1 and case.reason_counts() == {"spam": 1}


def test_a_hide_that_fails_leaves_the_reports_open_and_records_nothing(make_photo, faults, bob):
    photo = make_photo()
    comment = services.comment_create(
        photo_id=photo.photo_id, author_sub=bob.username, author_name="Bob", body="x", ip="::1"
    )
    reports.report_create(
        photo_id=photo.photo_id,
        comment_key=comment.created_key,
        reason="harassment",
        reporter=AnonymousUser(),
        ip="192.0.2.1",
    )
    key = report_item_key(photo.photo_id, comment.created_key)
    moderator = Client(raise_request_exception=False)
    sign_in(moderator, site_user("sub-mod", "Mo", ("admins",)))
    url = f"/admin/moderation/reportentry/{case_id(key)}/resolve/"
    rule = faults.fail("dynamodb", "TransactWriteItems", kind="refused")

    failed = moderator.post(url, {"action": "hide"})

    assert failed.status_code == 503 and rule.hits >= 1
    faults.rules.clear()
    case = ReportCase.get(key, consistent_read=True)
    assert case.is_open and case.open_count == 1 and case.reason_counts() == {"harassment": 1}
    assert not Comment.get(photo.photo_id, comment.created_key).hidden
    assert list(AuditEvent.scan()) == []

    done = moderator.post(url, {"action": "hide"}, follow=True)

    assert "Hidden; 1 report(s) resolved." in done.content.decode()
    assert Comment.get(photo.photo_id, comment.created_key).hidden
    assert [e.action for e in AuditEvent.scan()] == ["hide"]
