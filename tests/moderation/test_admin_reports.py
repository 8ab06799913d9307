"""The admin's queue of reports (moderation.report_admin): reported items grouped, newest
report first, with the item beside its counts; hide or dismiss resolves every open report of
the item once, audited; the page costs one Query of the sparse index whatever is stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from gallery import report_selectors, services
from gallery.models import Comment, Photo
from gallery.report_models import ReportCase, case_id, report_item_key
from gallery.services import reports
from tests.accounts.users import sign_in, site_user
from tests.gallery.conftest import count_dynamodb_calls
from tests.moderation.conftest import audit_events, only

QUEUE = "/admin/moderation/reportentry/"


def visitor_report(photo: Photo, *, comment: Comment | None = None, ip: str, **kwargs):
    return reports.report_create(
        photo_id=photo.photo_id,
        comment_key=comment.created_key if comment else "",
        reason=kwargs.pop("reason", "spam"),
        reporter=AnonymousUser(),
        ip=ip,
        **kwargs,
    )


@pytest.fixture
def reported(make_photo, bob):
    """A photo reported by three visitors and a comment reported by one, the comment last."""
    start = datetime.now(UTC) - timedelta(minutes=10)
    photo = make_photo("Harbour at dawn")
    comment = services.comment_create(
        photo_id=photo.photo_id,
        author_sub=bob.username,
        author_name="Bob",
        body="Buy cheap watches",
        ip="203.0.113.9",
    )
    for n, reason in enumerate(("spam", "spam", "copyright")):
        visitor_report(photo, ip=f"192.0.2.{n}", reason=reason, now=start + timedelta(minutes=n))
    visitor_report(photo, comment=comment, ip="192.0.2.50", reason="harassment")
    return photo, comment


def resolve_url(key: str) -> str:
    return f"{QUEUE}{case_id(key)}/resolve/"


def test_the_queue_groups_reports_by_item_newest_first_with_the_item_beside(root_client, reported):
    photo, _comment = reported

    page = root_client.get(QUEUE).content.decode()

    assert page.index("Buy cheap watches") < page.index("Harbour at dawn")
    assert "3 reports" in page and "1 report" in page
    assert "Spam or advertising: 2" in page and "Copyright infringement: 1" in page
    assert "by Bob" in page  # a comment's author
    assert 'class="moderation-thumbnail"' in page  # a photo's thumbnail
    assert f"/admin/moderation/photoentry/{photo.photo_id}/change/" in page
    assert page.count('name="action" value="hide"') == 2


def test_a_row_opens_the_items_open_reports(root_client, reported):
    photo, _comment = reported
    detail = root_client.get(f"{QUEUE}{case_id(report_item_key(photo.photo_id))}/change/")

    page = detail.content.decode()
    assert detail.status_code == 200
    assert page.count("192.0.2.x") == 3  # each reporter by network only
    assert "Visitor" in page


def test_hiding_from_the_queue_hides_the_item_resolves_its_reports_and_audits(
    root_client, reported, superuser
):
    photo, comment = reported
    key = report_item_key(photo.photo_id, comment.created_key)

    answer = root_client.post(resolve_url(key), {"action": "hide"}, follow=True)

    assert "Hidden; 1 report(s) resolved." in answer.content.decode()
    assert Comment.get(comment.photo_id, comment.created_key).hidden
    assert [c.item_key for c in report_selectors.report_queue().items] == [
        report_item_key(photo.photo_id)
    ]
    event = only(audit_events())
    assert (event.action, event.object_type, event.actor_sub) == (
        "hide",
        "comment",
        superuser.username,
    )


def test_dismissing_keeps_the_item_and_audits(root_client, reported):
    photo, _comment = reported
    key = report_item_key(photo.photo_id)

    answer = root_client.post(resolve_url(key), {"action": "dismiss"}, follow=True)

    assert "Dismissed 3 report(s); the item stays." in answer.content.decode()
    assert Photo.get(photo.photo_id).is_visible
    assert only(audit_events()).action == "dismiss"
    history = root_client.get(f"{QUEUE}{case_id(key)}/change/").content.decode()
    assert "Resolved 3 report(s): copyright 1, spam 2" in history


def test_a_second_moderator_pressing_later_is_told_it_was_done(aws_stack, reported):
    # The same two presses at the same moment: tests/data/test_report_races.py (DynamoDB Local).
    photo, _comment = reported
    key = report_item_key(photo.photo_id)
    clients = []
    for n in range(2):
        client = Client()
        sign_in(client, site_user(f"sub-m{n}", f"M{n}", ("admins",)))
        clients.append(client)

    first = clients[0].post(resolve_url(key), {"action": "hide"}, follow=True)
    second = clients[1].post(resolve_url(key), {"action": "dismiss"}, follow=True)

    assert "Hidden; 3 report(s) resolved." in first.content.decode()
    assert "already resolved; nothing was changed" in second.content.decode()
    assert only(audit_events()).action == "hide"
    assert not Photo.get(photo.photo_id).is_visible


def test_staff_without_moderation_rights_see_the_queue_but_cannot_act(viewer, reported):
    photo, _comment = reported
    client = Client()
    sign_in(client, viewer)

    page = client.get(QUEUE).content.decode()
    assert "Harbour at dawn" in page and 'value="hide"' not in page
    refused = client.post(resolve_url(report_item_key(photo.photo_id)), {"action": "hide"})
    assert refused.status_code == 403
    assert Photo.get(photo.photo_id).is_visible and audit_events() == []


def test_members_and_visitors_never_reach_the_queue(client, bob, reported):
    assert client.get(QUEUE).status_code == 302  # to the admin's sign-in
    sign_in(client, bob)
    assert client.get(QUEUE).status_code == 302


@pytest.mark.parametrize("case", ["not-base64!", case_id("photo#nothing"), case_id("other#x")])
def test_an_unknown_case_is_a_message_not_a_500(root_client, reported, case):
    detail = root_client.get(f"{QUEUE}{case}/change/", follow=True)
    assert detail.status_code == 200 and "No reports of that item." in detail.content.decode()
    resolved = root_client.post(f"{QUEUE}{case}/resolve/", {"action": "hide"}, follow=True)
    assert resolved.status_code == 200
    assert audit_events() == []


def test_an_unknown_action_is_refused_with_a_message(root_client, reported):
    photo, _comment = reported
    answer = root_client.post(
        resolve_url(report_item_key(photo.photo_id)), {"action": "delete"}, follow=True
    )
    assert "Choose hide or dismiss." in answer.content.decode()
    assert ReportCase.get(report_item_key(photo.photo_id)).is_open


def test_a_queue_page_costs_one_query_whatever_is_stored(root_client, make_photo, reported):
    # Warm the session and permission reads, then count the queue itself.
    root_client.get(QUEUE)
    with count_dynamodb_calls() as small:
        root_client.get(QUEUE)
    for n in range(30):
        visitor_report(make_photo(f"Extra {n}"), ip=f"198.51.100.{n}")
    with count_dynamodb_calls() as large:
        page = root_client.get(QUEUE).content.decode()

    queue_calls = [
        (op, table)
        for op, table in zip(large.operations, large.tables, strict=True)
        if table.endswith("report-cases")
    ]
    assert queue_calls == [("Query", queue_calls[0][1])]
    assert "Scan" not in large.operations
    assert len(large.operations) == len(small.operations)
    assert large.items <= small.items + 25
    assert "Next page" in page


def test_the_queue_speaks_chinese(root_client, reported):
    page = root_client.get(QUEUE, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "被举报内容" in page and "驳回" in page


def test_a_dismissal_is_named_in_the_audit_trail_in_chinese(root_client, reported):
    photo, _comment = reported
    root_client.post(resolve_url(report_item_key(photo.photo_id)), {"action": "dismiss"})

    trail = root_client.get(
        "/admin/moderation/moderationevent/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()

    assert "驳回举报" in trail
