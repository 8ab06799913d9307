"""The audit trail: append-only in DynamoDB, paged by cursor, filtered through indexes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from pynamodb.exceptions import PutError

from moderation import audit, audit_selectors
from moderation.audit_selectors import EventFilters
from moderation.records import AuditEvent
from tests.accounts.users import site_user
from tests.gallery.conftest import count_dynamodb_calls
from tests.moderation.conftest import audit_events, only

TRAIL = "/admin/moderation/moderationevent/"
ROOT = site_user("sub-root", "Root 管理员", ("superadmins",))
ADM = site_user("sub-adm", "Adm", ("admins",))


def event_url(event) -> str:
    ref = f"{event.object_key}|{event.created_key}"
    return reverse("admin:moderation_moderationevent_change", args=[ref])


def record(actor=ROOT, action="hide", object_type="photo", object_id="p-1", **kwargs):
    return audit.event_record(
        actor=actor, action=action, object_type=object_type, object_id=object_id, **kwargs
    )


def test_an_event_records_who_did_what_to_which_object(aws_stack):
    record(object_repr="Sunset", detail="why")
    event = only(audit_events())
    assert (event.actor_sub, event.actor_name, event.action) == (
        "sub-root",
        "Root 管理员 (sub-root)",
        "hide",
    )
    assert (event.object_type, event.object_id, event.object_repr, event.detail) == (
        "photo",
        "p-1",
        "Sunset",
        "why",
    )


def test_an_event_is_never_overwritten(aws_stack, monkeypatch):
    moment = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    monkeypatch.setattr(audit.secrets, "token_hex", lambda n: "same")
    first = record(now=moment, detail="first")
    # The same key again: the conditional write refuses it, twice, and the first stays.
    with pytest.raises(audit.AuditWriteFailed):
        record(now=moment, detail="second")
    with pytest.raises(PutError):
        first.save(condition=AuditEvent.object_key.does_not_exist())
    assert only(audit_events()).detail == "first"


def test_two_events_in_the_same_microsecond_both_stay(aws_stack):
    moment = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    record(now=moment)
    record(now=moment)
    assert len(audit_events()) == 2


def test_history_lists_one_objects_events_newest_first(aws_stack):
    start = datetime(2026, 3, 1, tzinfo=UTC)
    record(action="hide", now=start)
    record(action="unhide", now=start + timedelta(minutes=1))
    record(action="hide", object_id="p-2", now=start + timedelta(minutes=2))
    with count_dynamodb_calls() as calls:
        history = audit_selectors.event_list_for(object_type="photo", object_id="p-1")
    assert [e.action for e in history] == ["unhide", "hide"]
    assert calls.operations == ["Query"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (EventFilters(actor="sub-adm"), ["a3", "a1"]),
        (EventFilters(action="delete"), ["a4", "a2"]),
        (EventFilters(object_type="user", object_id="carol"), ["a4"]),
        (EventFilters(object_type="photo"), ["a3", "a2", "a1"]),
        (EventFilters(actor="sub-adm", action="hide"), ["a1"]),
        (EventFilters(date_from=datetime(2026, 3, 2).date()), ["a4", "a3"]),
        (EventFilters(), ["a4", "a3", "a2", "a1"]),
    ],
)
def test_filters_read_an_index_never_a_scan(aws_stack, filters, expected):
    start = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    record(actor=ADM, action="hide", object_id="p-1", object_repr="a1", now=start)
    record(action="delete", object_id="p-2", object_repr="a2", now=start + timedelta(hours=1))
    record(actor=ADM, action="unhide", object_repr="a3", now=start + timedelta(days=1))
    record(
        action="delete",
        object_type="user",
        object_id="carol",
        object_repr="a4",
        now=start + timedelta(days=2),
    )
    with count_dynamodb_calls() as calls:
        page = audit_selectors.event_page(filters=filters)
    assert [e.object_repr for e in page.items] == expected
    assert set(calls.operations) == {"Query"}


def test_the_admin_pages_the_trail_by_cursor(root_client, aws_stack):
    start = datetime(2026, 3, 1, tzinfo=UTC)
    for n in range(audit_selectors.PAGE_SIZE + 5):
        record(object_id=f"p-{n:03}", object_repr=f"photo {n:03}", now=start + timedelta(seconds=n))

    first = root_client.get(TRAIL)
    body = first.content.decode()
    assert first.status_code == 200
    assert "photo 054" in body and "photo 005" in body and "photo 004" not in body
    next_url = first.context["next_url"]
    assert next_url
    second = root_client.get(TRAIL + next_url).content.decode()
    assert "photo 004" in second and "photo 000" in second and "photo 054" not in second
    # A cursor only continues the listing it came from.
    other = root_client.get(TRAIL + next_url + "&action=delete", follow=True)
    assert "another listing" in other.content.decode()


def test_the_admin_filters_and_shows_one_event(root_client, aws_stack):
    record(actor=ADM, action="hide", object_id="p-1", object_repr="Harbour", detail="spam")
    record(action="delete", object_type="comment", object_id="p-1/k", object_repr="rude")
    by_actor = root_client.get(TRAIL, {"actor": "sub-adm"}).content.decode()
    assert "Harbour" in by_actor and "rude" not in by_actor
    by_object = root_client.get(TRAIL, {"object_type": "comment", "object_id": "p-1/k"})
    assert "rude" in by_object.content.decode() and "Harbour" not in by_object.content.decode()

    event = next(e for e in audit_events() if e.object_repr == "Harbour")
    page = root_client.get(event_url(event))
    assert page.status_code == 200
    assert "spam" in page.content.decode() and "Adm (sub-adm)" in page.content.decode()
    missing = root_client.get(f"{TRAIL}photo%23nope|2026/change/", follow=True)
    assert "No such audit event" in missing.content.decode()


def test_the_admin_index_shows_recent_moderation_from_the_trail(root_client, aws_stack):
    record(object_repr="Harbour 港口")
    index = root_client.get("/admin/").content.decode()
    assert "Recent moderation" in index and "Harbour 港口" in index


def test_the_trail_is_read_only_in_the_admin(root_client, aws_stack):
    record()
    event = only(audit_events())
    response = root_client.post(event_url(event))
    assert response.status_code in (200, 405)
    assert only(audit_events()).created_key == event.created_key
