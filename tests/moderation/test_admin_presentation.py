"""How the admin pages present things: the site's name, times in the zone they are labelled
with, thumbnails, photos by name, and how fresh the dashboard's counts are."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from gallery import services
from tests.gallery.conftest import count_dynamodb_calls

PHOTOS = "/admin/moderation/photoentry/"
COMMENTS = "/admin/moderation/commententry/"
SHANGHAI = "Asia%2FShanghai"  # the viewer's time zone cookie, 8 hours ahead of UTC


def test_the_header_names_the_site_in_each_language(root_client, aws_stack):
    english = root_client.get("/admin/").content.decode()
    chinese = root_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "photosite administration" in english and "Django administration" not in english
    assert "photosite 管理后台" in chinese
    # Django's own admin words stay Django's: the site's "Change" (切换, the language switcher)
    # must not leak into the admin's model links (修改).
    assert ">修改<" in chinese and ">切换<" not in chinese


def test_times_labelled_utc_are_utc_whatever_the_viewers_zone(root_client, make_photo):
    photo = make_photo("Harbour", now=datetime(2026, 11, 21, 8, 30, 5, tzinfo=UTC))
    services.comment_create(
        photo_id=photo.photo_id,
        author_sub="sub-bob",
        author_name="Bob",
        body="nice",
        ip="",
        now=datetime(2026, 11, 21, 9, 45, 10, tzinfo=UTC),
    )
    root_client.cookies["tz"] = SHANGHAI

    photos = root_client.get(PHOTOS).content.decode()
    comments = root_client.get(COMMENTS).content.decode()
    detail = root_client.get(f"{PHOTOS}{photo.photo_id}/change/").content.decode()

    assert "Uploaded (UTC)" in photos and "2026-11-21 08:30:05" in photos
    assert "16:30:05" not in photos
    assert "Written (UTC)" in comments and "2026-11-21 09:45:10" in comments
    assert "17:45:10" not in comments
    assert "2026-11-21 09:45:10" in detail and "17:45:10" not in detail
    assert "Nov. 21, 2026, 8:30 AM" in detail and "4:30 PM" not in detail  # recorded fields


def test_the_photo_list_shows_presigned_thumbnails_without_inline_styles(root_client, make_photo):
    make_photo("Harbour")

    html = root_client.get(PHOTOS).content.decode()

    thumbnails = re.findall(r'<img class="moderation-thumbnail" src="([^"]+)"', html)
    assert len(thumbnails) == 1
    assert "X-Amz-Signature=" in thumbnails[0]  # the bucket stays private
    assert " style=" not in html  # the Content-Security-Policy allows the site's CSS files only


def test_the_comment_list_names_each_photo_with_one_batch_read(root_client, make_photo):
    harbour, lantern = make_photo("Harbour 港口"), make_photo("Lantern")
    for photo in (harbour, lantern, harbour):
        services.comment_create(
            photo_id=photo.photo_id, author_sub="sub-bob", author_name="Bob", body="hi", ip=""
        )

    with count_dynamodb_calls() as calls:
        html = root_client.get(COMMENTS).content.decode()

    link = f'<a href="/admin/moderation/photoentry/{harbour.photo_id}/change/">Harbour 港口</a>'
    assert html.count(link) == 2
    assert f">{lantern.photo_id}<" not in html and ">Lantern</a>" in html
    assert calls.by_name["BatchGetItem"] == 1


def test_a_comment_of_a_deleted_photo_says_so(root_client, make_photo, moderator):
    photo = make_photo("Gone")
    services.comment_create(
        photo_id=photo.photo_id, author_sub="sub-bob", author_name="Bob", body="hi", ip=""
    )
    kept_comment_page = root_client.get(COMMENTS).content.decode()
    assert ">Gone</a>" in kept_comment_page

    services.photo_delete(photo_id=photo.photo_id, actor=moderator)

    assert ">Gone</a>" not in root_client.get(COMMENTS).content.decode()


def test_the_dashboard_says_when_its_counts_were_taken(root_client, make_photo):
    make_photo()

    html = root_client.get("/admin/").content.decode()

    assert re.search(r"As of \d{4}-\d\d-\d\d \d\d:\d\d UTC", html)
