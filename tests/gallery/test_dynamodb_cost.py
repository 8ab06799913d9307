"""DynamoDB cost of requests, counted like query-count tests: a gallery page of 24 costs at most
2 calls and 25 items, and no request path ever calls Scan."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts import sessions
from accounts.cognito import Tokens
from accounts.records import Profile, Session
from gallery import services
from gallery.models import Comment
from tests.accounts.users import sign_in

from .conftest import count_dynamodb_calls, jpeg, png


@pytest.fixture
def thirty(make_photo):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    return [
        make_photo(f"Sunset {i}", data=png(16, 12), now=start + timedelta(minutes=i))
        for i in range(30)
    ]


def test_a_gallery_page_of_24_costs_at_most_2_calls_and_25_items(client, thirty):
    with count_dynamodb_calls() as log:
        response = client.get(reverse("gallery:photo_list"))

    assert response.status_code == 200
    assert response.content.decode().count('class="card"') == 24
    assert len(log.operations) <= 2
    assert log.items <= 25


def test_the_next_gallery_page_costs_the_same(client, thirty):
    first = client.get(reverse("gallery:photo_list"))
    cursor = first.content.decode().split("?cursor=")[1].split('"')[0]

    with count_dynamodb_calls() as log:
        client.get(reverse("gallery:photo_list") + "?cursor=" + cursor)

    assert log.operations == ["Query"]
    assert log.items == 6


def test_no_request_path_calls_scan(thirty, alice, bob, aws_stack):
    """Walk every page and API endpoint, reading and writing, and watch for Scan."""
    photo = thirty[-1]
    owner, other, visitor = Client(), Client(), Client()
    sign_in(owner, alice)
    sign_in(other, bob)
    session = owner.session
    sessions.tokens_store(
        session=session,
        tokens=Tokens(id_token="t", access_token="a", refresh_token="r", expires_in=3600),
        username="alice",
    )
    session.save()
    detail = reverse("gallery:photo_detail", args=[photo.photo_id])

    with count_dynamodb_calls() as log:
        for client, url in [
            (visitor, reverse("gallery:photo_list")),
            (visitor, detail),
            (owner, reverse("gallery:photo_mine")),
            (owner, reverse("gallery:upload")),
            (visitor, reverse("gallery:photo_search") + "?q=sun"),
            (visitor, reverse("gallery:photo_search") + "?q=sunset+2&date_from=2026-01-01T00:00"),
            (visitor, reverse("gallery:photo_search") + "?date_from=2026-01-01T00:00"),
            (owner, reverse("gallery:share_list")),
            (owner, "/api/photos"),
            (owner, "/api/photos?q=sun&from=2026-01-01T00:00:00Z"),
            (owner, "/api/photos?mine=true"),
            (owner, f"/api/photos/{photo.photo_id}"),
            (owner, f"/api/photos/{photo.photo_id}/comments"),
        ]:
            assert client.get(url).status_code == 200, url

        owner.post(
            reverse("gallery:upload"),
            {"files": SimpleUploadedFile("a.jpg", jpeg(), "image/jpeg"), "name": "New"},
        )
        owner.post(
            "/api/photos",
            {"file": SimpleUploadedFile("b.jpg", jpeg(), "image/jpeg"), "name": "Api"},
        )
        data = jpeg()
        ticket = owner.post(
            reverse("gallery:upload_presign"),
            json.dumps({"name": "D", "content_type": "image/jpeg", "size": len(data)}),
            content_type="application/json",
        ).json()
        requests.post(
            ticket["url"],
            data=ticket["fields"],
            files={"file": ("d.jpg", data, "image/jpeg")},
            timeout=10,
        )
        assert owner.post(ticket["complete_url"]).status_code == 200
        other.post(reverse("gallery:comment_create", args=[photo.photo_id]), {"body": "hi"})
        other.post(
            f"/api/photos/{photo.photo_id}/comments",
            {"body": "hey"},
            content_type="application/json",
        )
        comment = next(iter(Comment.query(photo.photo_id)))
        other.post(
            reverse("gallery:comment_change", args=[photo.photo_id, "edit"]),
            {"key": comment.created_key, "version": comment.version, "body": "edited"},
        )
        other.post(
            reverse("gallery:comment_change", args=[photo.photo_id, "delete"]),
            {"key": comment.created_key},
        )
        owner.post(
            reverse("gallery:photo_edit", args=[photo.photo_id]),
            {"name": "Renamed", "caption": "", "version": photo.version},
        )
        share = owner.post(
            f"/api/photos/{photo.photo_id}/share",
            {"expires_in": 60},
            content_type="application/json",
        ).json()
        assert visitor.get(share["url"]).status_code == 200
        owner.post(reverse("gallery:share_revoke", args=[share["token"]]))
        owner.post(reverse("gallery:share_create", args=[photo.photo_id]), {"expires_in": 300})
        owner.patch(
            f"/api/photos/{thirty[0].photo_id}",
            {"name": "P", "version": 1},
            content_type="application/json",
        )
        owner.delete(f"/api/photos/{thirty[1].photo_id}")
        owner.post(reverse("gallery:photo_delete", args=[photo.photo_id]))
        # The trash: its pages and API, restore, delete forever, empty.
        for url in (reverse("gallery:trash"), reverse("gallery:trash_empty"), "/api/trash"):
            assert owner.get(url).status_code == 200, url
        owner.get(reverse("gallery:trash_delete", args=[photo.photo_id]))
        owner.post(reverse("gallery:trash_restore", args=[photo.photo_id]))
        owner.post(f"/api/trash/{thirty[1].photo_id}/restore")
        owner.delete(f"/api/photos/{thirty[1].photo_id}")
        owner.delete(f"/api/trash/{thirty[1].photo_id}")
        owner.delete(f"/api/photos/{thirty[2].photo_id}")
        owner.post(reverse("gallery:trash_empty"))
        owner.post("/api/trash/empty")

    assert len(log.operations) > 50  # the walk really went through DynamoDB
    assert "Scan" not in log.operations


def test_a_detail_page_costs_a_get_and_one_comment_query(client, thirty):
    photo = thirty[0]
    services.comment_create(
        photo_id=photo.photo_id, author_sub="sub-bob", author_name="Bob", body="hi", ip=""
    )

    with count_dynamodb_calls() as log:
        response = client.get(reverse("gallery:photo_detail", args=[photo.photo_id]))

    assert response.status_code == 200
    assert log.operations == ["GetItem", "Query"]
    assert log.items == 2


def test_my_photos_page_costs_the_session_read_and_one_query(client, alice, thirty):
    sign_in(client, alice)

    with count_dynamodb_calls() as log:
        client.get(reverse("gallery:photo_mine"))

    # A signed-in page reads its session (the DynamoDB session engine), the user's standing
    # (disabled? re-grouped? accounts.standing: no profile item here), then one Query.
    assert log.operations == ["GetItem", "GetItem", "Query"]
    assert log.tables[:2] == [Session.Meta.table_name, Profile.Meta.table_name]
    assert log.items == 1 + 24
