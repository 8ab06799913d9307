"""Hostile text in names, captions, comments and query strings: refused clearly or shown escaped.

Every answer here is a 4xx with a message or a page that renders the text inert; none is a 500.
"""

from __future__ import annotations

import pytest

from gallery.models import Comment, Photo

XSS = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)//<svg/onload=alert(1)>",
    "{{ request.session }}{% debug %}",
]
RTL_SPOOF = "holiday\u202egpj.exe"  # shows as "holidayexe.jpg" in a naive renderer


def patch(client, photo, **fields):
    return client.patch(
        f"/api/photos/{photo.photo_id}",
        {"version": photo.version, **fields},
        content_type="application/json",
    )


@pytest.mark.parametrize("payload", XSS)
def test_markup_in_name_caption_and_comment_is_shown_escaped(alice_client, make_photo, payload):
    photo = make_photo(name=payload, caption=payload)
    alice_client.post(f"/photos/{photo.photo_id}/comments/", {"body": payload})

    pages = [
        alice_client.get(f"/photos/{photo.photo_id}/").content.decode(),
        alice_client.get("/").content.decode(),
        alice_client.get("/search/", {"q": "alert"}).content.decode(),
    ]

    assert [c.body for c in Comment.query(photo.photo_id)] == [payload]
    for html in pages:
        assert "<script>alert" not in html
        assert "<img src=x onerror" not in html
        assert "<svg/onload" not in html
    assert pages[0].count("&lt;") >= 2 or "{% debug %}" in pages[0]


def test_a_template_tag_in_a_name_is_shown_literally_not_run(alice_client, make_photo):
    photo = make_photo(name="{% debug %}{{ settings.SECRET_KEY }}")

    html = alice_client.get(f"/photos/{photo.photo_id}/").content.decode()

    assert "{% debug %}{{ settings.SECRET_KEY }}" in html
    assert "local-development-only" not in html


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("name", "n" * 10_000, "name_too_long"),
        ("caption", "c" * 10_000, "caption_too_long"),
        ("name", "nul\x00byte", "control_characters"),
        ("name", "escape\x1b[31mred", "control_characters"),
        ("name", "bell\x07", "control_characters"),
        ("name", "c1\x85control", "control_characters"),
        ("caption", "nul\x00byte", "control_characters"),
        ("name", "   ", "name_required"),
    ],
)
def test_the_api_refuses_bad_text_with_a_code_and_changes_nothing(
    alice_client, make_photo, field, value, code
):
    photo = make_photo(name="Kept", caption="kept")

    response = patch(alice_client, photo, **{field: value})

    assert (response.status_code, response.json()["code"]) == (400, code)
    stored = Photo.get(photo.photo_id)
    assert (stored.name, stored.caption, stored.version) == ("Kept", "kept", photo.version)


def test_a_caption_keeps_its_line_breaks_and_tabs(alice_client, make_photo):
    photo = make_photo()

    response = patch(alice_client, photo, caption="line one\n\tline two")

    assert response.status_code == 200
    assert Photo.get(photo.photo_id).caption == "line one\n\tline two"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("x" * 10_000, "comment_too_long"),
        ("hi\x00there", "control_characters"),
        ("\u3000 \n ", "comment_empty"),
    ],
)
def test_bad_comments_are_refused_and_not_counted(alice_client, make_photo, body, code):
    photo = make_photo()

    response = alice_client.post(
        f"/api/photos/{photo.photo_id}/comments", {"body": body}, content_type="application/json"
    )

    assert (response.status_code, response.json()["code"]) == (400, code)
    assert Photo.get(photo.photo_id).comment_count == 0
    assert list(Comment.query(photo.photo_id)) == []


def test_a_right_to_left_override_round_trips_exactly_and_is_escaped_nowhere_else(
    alice_client, make_photo
):
    photo = make_photo(name=RTL_SPOOF)

    detail = alice_client.get(f"/api/photos/{photo.photo_id}").json()
    html = alice_client.get(f"/photos/{photo.photo_id}/").content.decode()

    assert detail["name"] == RTL_SPOOF
    assert RTL_SPOOF in html


def test_chinese_text_round_trips_exactly(alice_client, make_photo):
    name = "北京 · 故宫 🏯 「雪」"
    photo = make_photo(name=name)

    assert alice_client.get(f"/api/photos/{photo.photo_id}").json()["name"] == name
    found = alice_client.get("/api/photos", {"q": "故宫"}).json()["items"]
    assert [p["id"] for p in found] == [photo.photo_id]


# --- invalid UTF-8 ------------------------------------------------------------------------------


def test_invalid_utf8_in_a_search_query_is_a_400_page(alice_client, aws_stack):
    response = alice_client.get("/search/?q=%FF%FE")

    assert response.status_code == 400


def test_invalid_utf8_in_an_api_query_is_a_400_json(alice_client, aws_stack):
    response = alice_client.get("/api/photos?q=%FF%FE")

    assert (response.status_code, response.json()["code"]) == (400, "bad_query")


def test_invalid_utf8_in_a_cursor_is_a_400_json(alice_client, aws_stack):
    response = alice_client.get("/api/photos?cursor=%FF%FE")

    assert (response.status_code, response.json()["code"]) == (400, "bad_cursor")


def test_invalid_utf8_in_a_json_body_is_a_400_json(alice_client, make_photo):
    photo = make_photo()

    response = alice_client.generic(
        "POST",
        f"/api/photos/{photo.photo_id}/comments",
        b'{"body": "\xff\xfe"}',
        content_type="application/json",
    )

    assert (response.status_code, response.json()["code"]) == (400, "bad_request")
    assert Photo.get(photo.photo_id).comment_count == 0


def test_invalid_utf8_in_form_data_is_stored_as_replacement_characters(alice_client, make_photo):
    # Django decodes form bodies leniently: the comment is kept, visibly damaged, not a 500.
    photo = make_photo()

    response = alice_client.generic(
        "POST",
        f"/photos/{photo.photo_id}/comments/",
        b"body=ok\xff%FE",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 302
    [comment] = Comment.query(photo.photo_id)
    assert comment.body.startswith("ok") and "\ufffd" in comment.body


def test_invalid_utf8_in_a_path_is_a_404(alice_client, aws_stack):
    assert alice_client.get("/photos/%FF%FE/").status_code == 404
    assert alice_client.get("/s/%FF").status_code == 404
