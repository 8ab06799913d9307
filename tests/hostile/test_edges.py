"""Inputs at the edges of what Python and DynamoDB can hold: numbers that do not fit, JSON nested
past the parser's recursion, moments at the calendar's ends, and cursors signed with the site's
own key whose content is no key of the listing. Each is a 4xx with a clear message, never a 500.
"""

from __future__ import annotations

import pytest
from django.core import signing
from django.urls import reverse

from gallery.cursors import SALT
from gallery.paging import cursor_scope

# Raw JSON texts: json.dumps cannot write most of them, which is the point.
UNFIT_NUMBERS = ["Infinity", "-Infinity", "NaN", "1e400", "-1e400", "1" + "0" * 60]
DEEP = "[" * 100_000 + "]" * 100_000


def post_json(client, url: str, text: str, method: str = "post"):
    return getattr(client, method)(url, text, content_type="application/json")


# --- numbers that do not fit and JSON nested too deep -------------------------------------------


@pytest.mark.parametrize("number", UNFIT_NUMBERS)
def test_an_unfit_size_in_a_presign_request_is_a_400(bob_client, number):
    text = '{"name": "x", "content_type": "image/jpeg", "size": ' + number + "}"

    response = post_json(bob_client, reverse("gallery:upload_presign"), text)

    assert response.status_code in (400, 413), response.content[:200]
    assert response.json()["message"]


@pytest.mark.parametrize("text", [DEEP, '{"size": ' + DEEP + "}", '{"a": ' * 50_000])
def test_json_nested_too_deep_in_a_presign_request_is_a_400(bob_client, text):
    response = post_json(bob_client, reverse("gallery:upload_presign"), text)

    assert response.status_code == 400
    assert response.json()["message"]


@pytest.mark.parametrize("number", UNFIT_NUMBERS)
def test_an_unfit_version_in_an_api_edit_is_a_4xx_json(alice_client, make_photo, number):
    photo = make_photo()

    response = post_json(
        alice_client, f"/api/photos/{photo.photo_id}", '{"version": ' + number + "}", "patch"
    )

    assert response.status_code in (400, 409, 422), response.content[:200]
    assert response.json()["message"]


@pytest.mark.parametrize("number", UNFIT_NUMBERS)
def test_an_unfit_expiry_in_an_api_share_is_a_4xx_json(alice_client, make_photo, number):
    photo = make_photo()

    response = post_json(
        alice_client, f"/api/photos/{photo.photo_id}/share", '{"expires_in": ' + number + "}"
    )

    assert response.status_code in (400, 422), response.content[:200]
    assert response.json()["message"]


@pytest.mark.parametrize("path", ["", "/share", "/comments"])
def test_json_nested_too_deep_in_the_api_is_a_400(alice_client, make_photo, path):
    photo = make_photo()
    method = "patch" if not path else "post"

    response = post_json(alice_client, f"/api/photos/{photo.photo_id}{path}", DEEP, method)

    assert response.status_code == 400, response.content[:200]
    assert response.json()["message"]


# --- moments at the calendar's edges ------------------------------------------------------------

EDGES = [
    ("0001-01-01T00:00+05:00", None),
    (None, "9999-12-31T23:59-05:00"),
    ("9999-12-31T23:59-05:00", None),
    (None, "0001-01-01T00:00+05:00"),
    ("0001-01-01T00:00+05:00", "9999-12-31T23:59-05:00"),
]


def bounds(date_from, date_to) -> dict[str, str]:
    query = {}
    if date_from:
        query["from"] = date_from
    if date_to:
        query["to"] = date_to
    return query


@pytest.mark.parametrize(("date_from", "date_to"), EDGES)
@pytest.mark.parametrize("q", ["", "sunset"])
def test_time_bounds_at_the_calendar_edges_clamp_in_the_api(
    alice_client, make_photo, date_from, date_to, q
):
    make_photo("Sunset")
    whole_range = date_from in (None, "0001-01-01T00:00+05:00") and date_to in (
        None,
        "9999-12-31T23:59-05:00",
    )

    response = alice_client.get("/api/photos", {"q": q, **bounds(date_from, date_to)})

    assert response.status_code == 200, response.content[:200]
    # Clamped, not guessed: a range reaching both ends holds the photo, one past an end holds none.
    assert len(response.json()["items"]) == (1 if whole_range else 0)


@pytest.mark.parametrize(("date_from", "date_to"), EDGES)
@pytest.mark.parametrize("q", ["", "sunset"])
def test_time_bounds_at_the_calendar_edges_clamp_in_search(
    alice_client, make_photo, date_from, date_to, q
):
    make_photo("Sunset")
    query = {"q": q}
    if date_from:
        query["date_from"] = date_from
    if date_to:
        query["date_to"] = date_to

    response = alice_client.get(reverse("gallery:photo_search"), query)

    assert response.status_code in (200, 400), response.content[:200]


@pytest.mark.parametrize("moment", ["10000-01-01T00:00", "2024-13-01", "2024-02-30", "now", "1e9"])
def test_a_malformed_time_bound_is_a_400_with_a_message(alice_client, aws_stack, moment):
    response = alice_client.get("/api/photos", {"from": moment})

    assert response.status_code in (400, 422)
    assert response.json()["message"]


# --- cursors that carry the site's signature but no key of the listing --------------------------


def signed_cursor(key, scope: str) -> str:
    """A cursor as only the site can make one: signed with its own key and salt."""
    return signing.dumps({"k": key, "s": scope}, salt=SALT, compress=True)


NOT_KEYS = [
    {},
    {"photo_id": {"S": "x"}},
    {"photo_id": {"N": "not a number"}},
    {"photo_id": "plain", "feed": 1},
    {"photo_id": {"S": "p"}, "feed": {"S": "all"}, "sort_key": {"BOOL": True}},
    {"photo_id": {"S": "p"}, "feed": {"S": "all"}, "sort_key": {"S": "x" * 3000}},
    {"before": 12},
    {"before": None},
    {"x": {"S": "y"}},
]


@pytest.mark.parametrize("key", NOT_KEYS, ids=range(len(NOT_KEYS)))
def test_a_signed_cursor_that_is_no_key_is_a_400_bad_cursor(alice_client, make_photo, key):
    photo = make_photo("Sunset")
    listings = [
        ("/api/photos", {}, "feed"),
        ("/api/photos", {"mine": "true"}, "owner:sub-alice"),
        ("/api/photos", {"q": "sunset"}, cursor_scope("search", None, None, "sunset")),
        (f"/api/photos/{photo.photo_id}/comments", {}, f"comments:{photo.photo_id}"),
    ]
    for url, query, scope in listings:
        response = alice_client.get(url, {**query, "cursor": signed_cursor(key, scope)})

        assert response.status_code == 400, (url, query, response.content[:200])
        assert response.json()["code"] == "bad_cursor"


@pytest.mark.parametrize("key", NOT_KEYS, ids=range(len(NOT_KEYS)))
def test_a_signed_cursor_that_is_no_key_never_breaks_a_page(alice_client, make_photo, key):
    photo = make_photo("Sunset")
    pages = [
        (reverse("gallery:photo_list"), {"cursor": signed_cursor(key, "feed")}),
        (reverse("gallery:photo_mine"), {"cursor": signed_cursor(key, "owner:sub-alice")}),
        (
            reverse("gallery:photo_search"),
            {
                "q": "sunset",
                "cursor": signed_cursor(key, cursor_scope("search", None, None, "sunset")),
            },
        ),
        (
            reverse("gallery:photo_detail", args=[photo.photo_id]),
            {"comments": signed_cursor(key, f"comments:{photo.photo_id}")},
        ),
    ]
    for url, query in pages:
        response = alice_client.get(url, query)

        assert response.status_code in (200, 302, 400), (url, response.status_code)
