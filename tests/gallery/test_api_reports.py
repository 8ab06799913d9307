"""The reports' API (gallery.report_api): a signed-in caller reports a photo or a comment, once;
moderators list the items with open reports, read one, and resolve it, once, audited; others
get 401 or 403 JSON, bad input a 4xx, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from gallery.models import Comment, Photo
from gallery.report_models import Report, case_id, report_item_key
from moderation.records import AuditEvent
from tests.accounts.users import sign_in, site_user

from .conftest import api_user, spam_comment

CAROL = site_user("sub-carol", "Carol", ("members",))


def client_for(user) -> Client:
    return sign_in(Client(), user)


def post(client: Client, path: str, body: dict, **extra):
    return client.post(path, body, content_type="application/json", **extra)


@pytest.fixture
def photo(make_photo):
    return make_photo("Harbour at dawn")


@pytest.fixture
def comment(photo, bob):
    return spam_comment(photo, bob)


def test_the_schema_publishes_the_report_routes(client):
    paths = client.get("/api/openapi.json").json()["paths"]

    assert {"post", "get"} <= set(paths["/api/reports"])
    assert {"get"} <= set(paths["/api/reports/{case_id}"])
    assert {"post"} <= set(paths["/api/reports/{case_id}/resolve"])


def test_without_credentials_every_route_is_401_json(client, aws_stack):
    for answer in (
        post(client, "/api/reports", {"photo_id": "x", "reason": "spam"}),
        client.get("/api/reports"),
        post(client, "/api/reports/abc/resolve", {"action": "hide"}),
    ):
        assert answer.status_code == 401 and "code" in answer.json()


def test_a_bearer_caller_reports_a_comment_once(aws_stack, client, comment):
    caller = api_user(aws_stack, "reporter@example.com")
    body = {"photo_id": comment.photo_id, "comment_key": comment.created_key, "reason": "spam"}

    first = post(client, "/api/reports", body, **caller.bearer)
    again = post(client, "/api/reports", {**body, "reason": "other"}, **caller.bearer)

    assert first.status_code == 201 and first.json()["created"] is True
    assert first.json()["kind"] == "comment"
    assert first.json()["comment_key"] == comment.created_key
    assert again.status_code == 200 and again.json()["created"] is False
    assert again.json()["reason"] == "spam"
    [report] = Report.scan()
    assert report.reporter_sub == caller.sub


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"reason": "bored"}, 422, "invalid_request"),
        ({"reason": "spam", "note": "x" * 1001}, 400, "too_long"),
        ({"reason": "spam", "comment_key": "no-such"}, 404, "not_found"),
        ({"reason": "spam", "comment_key": "x" * 301}, 422, "invalid_request"),
        ({"reason": "spam", "share_token": "no-such-link"}, 404, "not_found"),
    ],
)
def test_bad_reports_are_clear_4xx_and_write_nothing(photo, bob, body, status, code):
    answer = post(client_for(bob), "/api/reports", {"photo_id": photo.photo_id, **body})

    assert answer.status_code == status
    assert answer.json()["code"] == code
    assert list(Report.scan()) == []


def test_a_flood_is_429_json(make_photo, bob, settings):
    settings.PHOTOSITE_REPORT_USER_LIMIT = 1
    client = client_for(bob)
    one, two = make_photo("One"), make_photo("Two")
    assert (
        post(client, "/api/reports", {"photo_id": one.photo_id, "reason": "spam"}).status_code
        == 201
    )

    refused = post(client, "/api/reports", {"photo_id": two.photo_id, "reason": "spam"})

    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"


def test_members_cannot_read_or_resolve_the_queue(photo, bob):
    client = client_for(bob)
    post(client, "/api/reports", {"photo_id": photo.photo_id, "reason": "spam"})
    item = case_id(report_item_key(photo.photo_id))

    assert client.get("/api/reports").status_code == 403
    assert client.get(f"/api/reports/{item}").status_code == 403
    assert post(client, f"/api/reports/{item}/resolve", {"action": "hide"}).status_code == 403
    assert Photo.get(photo.photo_id).is_visible


def test_a_moderator_lists_reads_and_hides_once(photo, comment, bob, moderator):
    post(client_for(bob), "/api/reports", {"photo_id": photo.photo_id, "reason": "copyright"})
    post(
        client_for(CAROL),
        "/api/reports",
        {"photo_id": photo.photo_id, "comment_key": comment.created_key, "reason": "harassment"},
    )
    mod = client_for(moderator)

    listed = mod.get("/api/reports").json()
    assert [item["kind"] for item in listed["items"]] == ["comment", "photo"]
    item = listed["items"][0]
    assert (item["text"], item["author"], item["open_reports"]) == ("Buy cheap watches", "Bob", 1)
    assert item["reasons"] == {"harassment": 1}
    detail = mod.get(f"/api/reports/{item['id']}").json()
    assert detail["is_open"] and [r["reporter_name"] for r in detail["reports"]] == ["Carol"]

    hidden = post(mod, f"/api/reports/{item['id']}/resolve", {"action": "hide"})
    again = post(mod, f"/api/reports/{item['id']}/resolve", {"action": "dismiss"})

    assert hidden.json() == {
        "id": item["id"],
        "action": "hide",
        "resolved": 1,
        "already_resolved": False,
    }
    assert again.json()["already_resolved"] is True and again.json()["resolved"] == 0
    assert Comment.get(comment.photo_id, comment.created_key).hidden
    assert [e.action for e in AuditEvent.scan()] == ["hide"]
    assert [i["kind"] for i in mod.get("/api/reports").json()["items"]] == ["photo"]


@pytest.mark.parametrize("item", ["%%%", "bm90LWEtY2FzZQ", case_id("photo#nothing")])
def test_an_unknown_item_is_404_json(moderator, item):
    mod = client_for(moderator)
    assert mod.get(f"/api/reports/{item}").status_code == 404
    assert post(mod, f"/api/reports/{item}/resolve", {"action": "hide"}).status_code == 404


def test_a_bad_action_or_cursor_is_a_4xx(photo, bob, moderator):
    post(client_for(bob), "/api/reports", {"photo_id": photo.photo_id, "reason": "spam"})
    mod = client_for(moderator)
    item = case_id(report_item_key(photo.photo_id))

    assert post(mod, f"/api/reports/{item}/resolve", {"action": "delete"}).status_code == 422
    assert mod.get("/api/reports?cursor=forged").status_code == 400
