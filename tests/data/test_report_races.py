"""Reports under concurrency, with real threads: a double click is one report, a flood stops
at the limit, and moderators acting at once (in the admin too) resolve an item once.

Reporting is a conditional PutItem then a conditional UpdateItem of the item's case (the
reporter not yet counted); resolving is one conditional UpdateItem of the case. DynamoDB Local
makes each atomic as AWS does; moto does not lock an item between its check and its write (two
moderators both "won" on moto in one run), so these races run on DynamoDB Local only.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from django.contrib.auth.models import AnonymousUser
from django.test import Client

from gallery import report_selectors, services
from gallery.errors import RateLimited
from gallery.models import Comment
from gallery.report_models import Report, ReportCase, case_id, report_item_key
from gallery.services import reports
from moderation.records import AuditEvent
from tests.accounts.users import sign_in, site_user
from tests.gallery.conftest import jpeg

from .backends import only_dynamodb_local

CALLERS = 8
MODERATORS = [site_user(f"sub-mod-{n}", f"Mod {n}", ("admins",)) for n in range(4)]


def together(count: int, call) -> list:
    """Run `call(n)` in `count` threads released at once; return results (or errors)."""
    start = threading.Barrier(count)

    def run(n: int):
        start.wait(timeout=30)
        try:
            return call(n)
        except Exception as exc:  # counted by the test
            return exc

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def a_photo(name: str = "Pier"):
    return services.photo_create(
        owner_sub="sub-alice", owner_name="Alice", name=name, data=jpeg(64, 48), uploader_ip="::1"
    )


def visitor_report(photo, *, ip: str = "198.51.100.7", comment_key: str = ""):
    return reports.report_create(
        photo_id=photo.photo_id,
        comment_key=comment_key,
        reason="spam",
        reporter=AnonymousUser(),
        ip=ip,
    )


@only_dynamodb_local
def test_a_report_sent_from_many_threads_at_once_is_one_report(aws_stack, ddb_backend):
    photo = a_photo()

    outcomes = together(CALLERS, lambda _n: visitor_report(photo))

    assert [type(o).__name__ for o in outcomes] == ["ReportOutcome"] * CALLERS
    assert sum(outcome.created for outcome in outcomes) == 1
    assert len(list(Report.scan())) == 1
    case = ReportCase.get(report_item_key(photo.photo_id), consistent_read=True)
    assert case.open_count == 1 and case.reason_counts() == {"spam": 1}


@only_dynamodb_local
def test_a_flood_of_reports_from_one_address_stops_at_the_limit(aws_stack, ddb_backend, settings):
    settings.PHOTOSITE_REPORT_IP_LIMIT = 3
    photos = [a_photo(f"Pier {n}") for n in range(CALLERS)]

    outcomes = together(CALLERS, lambda n: visitor_report(photos[n]))

    assert sum(isinstance(o, RateLimited) for o in outcomes) == CALLERS - 3
    assert len(list(Report.scan())) == 3


@only_dynamodb_local
def test_moderators_resolving_at_once_hide_once_and_audit_once(aws_stack, ddb_backend):
    photo = a_photo()
    comment = services.comment_create(
        photo_id=photo.photo_id, author_sub="sub-bob", author_name="Bob", body="spam", ip="::1"
    )
    for n in range(3):
        visitor_report(photo, ip=f"192.0.2.{n}", comment_key=comment.created_key)
    key = report_item_key(photo.photo_id, comment.created_key)

    results = together(
        len(MODERATORS),
        lambda n: reports.report_resolve(
            item_key=key, action="hide" if n % 2 else "dismiss", actor=MODERATORS[n]
        ),
    )

    assert all(isinstance(r, reports.Resolution) for r in results), results
    winners = [r for r in results if not r.already]
    assert len(winners) == 1 and winners[0].resolved == 3
    events = list(AuditEvent.scan())
    assert [e.action for e in events] == [winners[0].action]
    hidden = Comment.get(comment.photo_id, comment.created_key, consistent_read=True).hidden
    assert hidden == (winners[0].action == "hide")
    assert report_selectors.report_queue().items == []
    assert {r.status for r in Report.scan()} == {"resolved"}


@only_dynamodb_local
def test_two_moderators_pressing_hide_in_the_admin_at_once_resolve_once(aws_stack, ddb_backend):
    photo = a_photo()
    for n in range(3):
        visitor_report(photo, ip=f"192.0.2.{n}")
    url = f"/admin/moderation/reportentry/{case_id(report_item_key(photo.photo_id))}/resolve/"
    clients = []
    for moderator in MODERATORS[:2]:
        client = Client()
        sign_in(client, moderator)
        clients.append(client)

    answers = together(2, lambda n: clients[n].post(url, {"action": "hide"}, follow=True))

    pages = [answer.content.decode() for answer in answers]
    assert sum("Hidden; 3 report(s) resolved." in page for page in pages) == 1
    assert sum("already resolved" in page for page in pages) == 1
    assert [e.action for e in AuditEvent.scan()] == ["hide"]
