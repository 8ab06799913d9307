"""How the admin pages present things: the site's name, times in the zone they are labelled
with, thumbnails, photos by name, and how fresh the dashboard's counts are."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from gallery import services
from moderation.audit import event_record
from tests.gallery.conftest import count_dynamodb_calls

PHOTOS = "/admin/moderation/photoentry/"
COMMENTS = "/admin/moderation/commententry/"
AUDIT = "/admin/moderation/moderationevent/"
LINKS = "/admin/moderation/sharelinkentry/"
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


def test_audit_pages_history_links_and_confirmations_show_utc_whatever_the_viewers_zone(
    root_client, make_photo, superuser
):
    photo = make_photo("Harbour", now=datetime(2026, 11, 21, 8, 30, 5, tzinfo=UTC))
    event_record(
        actor=superuser,
        action="hide",
        object_type="photo",
        object_id=photo.photo_id,
        object_repr=photo.name,
        now=datetime(2026, 11, 21, 23, 10, 20, tzinfo=UTC),  # the next day in Shanghai
    )
    link = services.share_link_create(photo_id=photo.photo_id, actor=superuser, expires_in=3600)
    root_client.cookies["tz"] = SHANGHAI
    shanghai = timezone(timedelta(hours=8))

    trail = root_client.get(f"{AUDIT}?action=hide").content.decode()
    event_url = re.search(r'href="(/admin/moderation/moderationevent/[^"]+/change/)"', trail)
    event = root_client.get(event_url.group(1)).content.decode()
    detail = root_client.get(f"{PHOTOS}{photo.photo_id}/change/").content.decode()
    index = root_client.get("/admin/").content.decode()
    links = root_client.get(f"{LINKS}?photo={photo.photo_id}").content.decode()
    confirm = root_client.get(f"{PHOTOS}delete/?ids={photo.photo_id}").content.decode()

    assert "When (UTC)" in trail and "2026-11-21 23:10:20" in trail
    assert "When (UTC)" in event and "2026-11-21 23:10:20" in event
    assert "When (UTC)" in detail and "2026-11-21 23:10:20" in detail  # its history
    assert "2026-11-21 23:10 UTC" in index  # recent moderation
    for page in (trail, event, detail, index):
        assert "2026-11-22 07:10" not in page
    for moment in (link.created_at, link.valid_until):
        assert f"{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S}" in links
        assert f"{moment.astimezone(shanghai):%Y-%m-%d %H:%M:%S}" not in links
    assert "Created (UTC)" in links and "Expires (UTC)" in links
    assert "(2026-11-21 08:30 UTC)" in confirm and "16:30" not in confirm


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


def hidden_counts(html: str) -> tuple[int, int]:
    photos = re.search(r"status=hidden\"><strong>(\d+)</strong>", html)
    comments = re.search(r"hidden=1\"><strong>(\d+)</strong>", html)
    return int(photos.group(1)), int(comments.group(1))


def test_the_dashboard_is_exact_right_after_a_moderation_action(root_client, make_photo):
    photos = [make_photo(f"p{n}") for n in range(3)]
    assert hidden_counts(root_client.get("/admin/").content.decode()) == (0, 0)

    selected = [f"{photo.photo_id}@{photo.version}" for photo in photos[:2]]
    root_client.post(PHOTOS, {"action": "hide", "reason": "spam", "_selected_action": selected})
    after = root_client.get("/admin/").content.decode()
    # The same form sent again (a double click, a browser retry) changes nothing.
    root_client.post(PHOTOS, {"action": "hide", "reason": "spam", "_selected_action": selected})
    again = root_client.get("/admin/").content.decode()

    assert hidden_counts(after) == hidden_counts(again) == (2, 0)
    assert f"{datetime.now(UTC).date().isoformat()}: 3" in after  # today's uploads


def test_the_dashboard_reads_its_counters_in_one_call_whatever_the_activity(
    root_client, make_photo
):
    for n in range(5):
        make_photo(f"p{n}")
    root_client.get("/admin/")  # the page's other reads warmed up

    with count_dynamodb_calls() as calls:
        root_client.get("/admin/")

    batches = [request["RequestItems"] for request in calls.requests if "RequestItems" in request]
    assert len(batches) == 1
    (table, wanted), *_others = batches[0].items()
    assert table.endswith("activity-counters") and _others == []
    assert len(wanted["Keys"]) == 62  # 30 days of uploads and of comments, 2 hidden counts
    # Nothing is counted from the photos or comments themselves.
    assert not [t for t in calls.tables if t.endswith(("photos", "comments"))]
    assert "Scan" not in calls.by_name
