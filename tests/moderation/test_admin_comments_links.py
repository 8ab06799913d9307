"""Admin pages for comments and share links; the dashboard panel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.test import Client

from gallery import selectors, services
from gallery.models import Comment, Photo, ShareLink
from gallery.services import moderation as gallery_moderation
from moderation import selectors as admin_selectors
from moderation.templatetags.moderation_dashboard import chart
from tests.accounts.users import sign_in, site_user
from tests.moderation.conftest import audit_events, only

COMMENTS = "/admin/moderation/commententry/"
LINKS = "/admin/moderation/sharelinkentry/"


def comment(
    photo: Photo,
    body: str,
    *,
    author: str = "sub-bob",
    ip: str = "198.51.100.9",
    now: datetime | None = None,
) -> Comment:
    return services.comment_create(
        photo_id=photo.photo_id, author_sub=author, author_name="Bob", body=body, ip=ip, now=now
    )


def selected(c: Comment) -> str:
    return f"{c.photo_id}|{c.created_key}|{c.version}"


def test_comments_newest_first_site_wide_with_ip(root_client, make_photo):
    one, two = make_photo("one"), make_photo("two")
    comment(one, "first 第一", now=datetime.now(UTC) - timedelta(minutes=2))
    comment(two, "second 第二", ip="2001:db8::5")
    page = root_client.get(COMMENTS).content.decode()
    assert page.index("second 第二") < page.index("first 第一")
    assert "2001:db8::5" in page and "198.51.100.9" in page
    per_photo = root_client.get(f"{COMMENTS}?photo={one.photo_id}").content.decode()
    assert "first 第一" in per_photo and "second 第二" not in per_photo


def test_hide_unhide_delete_keep_the_count_exact(root_client, make_photo, bob):
    photo = make_photo()
    a, b = comment(photo, "keep me"), comment(photo, "rude words")
    root_client.post(COMMENTS, {"action": "hide", "_selected_action": [selected(b)]})

    assert Photo.get(photo.photo_id).comment_count == 1
    assert [c.body for c in selectors.comment_list_timeline(photo_id=photo.photo_id).items] == [
        "keep me"
    ]
    public = Client()
    sign_in(public, bob)
    assert "rude words" not in public.get(f"/photos/{photo.photo_id}/").content.decode()
    hidden_page = root_client.get(f"{COMMENTS}?hidden=1").content.decode()
    assert "rude words" in hidden_page and "keep me" not in hidden_page

    stored = Comment.get(photo.photo_id, b.created_key)
    root_client.post(COMMENTS, {"action": "unhide", "_selected_action": [selected(stored)]})
    assert Photo.get(photo.photo_id).comment_count == 2

    # Deleting: a confirmation page first, then the deletion.
    confirm = root_client.post(COMMENTS, {"action": "delete", "_selected_action": [selected(a)]})
    assert confirm.status_code == 200 and b"Are you sure" in confirm.content
    assert Comment.count(photo.photo_id) == 2
    root_client.post(
        COMMENTS, {"action": "delete", "_selected_action": [selected(a)], "post": "yes"}
    )
    assert Comment.count(photo.photo_id) == 1
    assert Photo.get(photo.photo_id).comment_count == 1
    actions = [(e.action, e.object_type) for e in audit_events()]
    assert actions == [("hide", "comment"), ("unhide", "comment"), ("delete", "comment")]


def test_deleting_a_hidden_comment_does_not_uncount_twice(make_photo):
    photo = make_photo()
    made = comment(photo, "x")
    gallery_moderation.comment_hide(photo_id=photo.photo_id, created_key=made.created_key)
    services.comment_delete(
        photo_id=photo.photo_id,
        created_key=made.created_key,
        actor=site_user("sub-mod", "Mo", ("admins",)),
    )
    assert Photo.get(photo.photo_id).comment_count == 0


def test_comments_of_a_hidden_photo_can_be_moderated(make_photo):
    photo = make_photo()
    made = comment(photo, "x")
    gallery_moderation.photo_hide(photo_id=photo.photo_id)
    hidden = gallery_moderation.comment_hide(photo_id=photo.photo_id, created_key=made.created_key)
    assert hidden.version == 2 and Photo.get(photo.photo_id).comment_count == 0
    services.comment_delete(
        photo_id=photo.photo_id,
        created_key=made.created_key,
        actor=site_user("sub-mod", "Mo", ("admins",)),
    )
    assert Comment.count(photo.photo_id) == 0


def test_a_stale_comment_version_is_refused(root_client, make_photo):
    photo = make_photo()
    made = comment(photo, "v1")
    services.comment_update(
        photo_id=photo.photo_id,
        created_key=made.created_key,
        actor=site_user("sub-bob", "Bob"),
        body="v2",
        expected_version=made.version,
    )
    response = root_client.post(
        COMMENTS, {"action": "hide", "_selected_action": [selected(made)]}, follow=True
    )
    assert "changed meanwhile" in response.content.decode()
    assert not Comment.get(photo.photo_id, made.created_key).hidden


def test_share_links_active_per_photo_and_user_and_revoke(root_client, make_photo, bob):
    photo = make_photo()
    live = services.share_link_create(
        photo_id=photo.photo_id, actor=site_user("sub-alice", "Alice"), expires_in=300
    )
    services.share_link_create(
        photo_id=photo.photo_id,
        actor=site_user("sub-alice", "Alice"),
        expires_in=60,
        now=datetime.now(UTC) - timedelta(minutes=5),
    )  # expired
    assert [
        link.token for link in admin_selectors.share_link_list_active(photo_id=photo.photo_id)
    ] == [live.token]
    assert [
        link.token for link in admin_selectors.share_link_list_active(owner_sub="sub-alice")
    ] == [live.token]
    assert root_client.get(f"{LINKS}?owner=sub-alice").status_code == 200

    root_client.post(f"{LINKS}?photo={photo.photo_id}", {"_selected_action": [live.token]})
    assert ShareLink.get(live.token).revoked
    public = Client()
    assert public.get(f"/s/{live.token}").status_code == 410
    assert only(audit_events()).action == "revoke"
    assert live.token not in only(audit_events()).object_id  # no live secret stored


def test_dashboard_counts_per_day_and_hidden_items(root_client, make_photo):
    today = datetime.now(UTC).replace(hour=12, minute=0)
    yesterday = today - timedelta(days=1)
    make_photo("a", now=yesterday)
    b = make_photo("b", now=today)
    make_photo("old", now=today - timedelta(days=40))
    made = comment(b, "c")
    gallery_moderation.photo_hide(photo_id=b.photo_id)
    gallery_moderation.comment_hide(photo_id=b.photo_id, created_key=made.created_key)

    board = admin_selectors.dashboard()
    assert len(board.days) == 30 and board.days[-1] == today.date()
    assert board.uploads[-1] == 1 and board.uploads[-2] == 1 and sum(board.uploads) == 2
    assert sum(board.comments) == 1 and board.comments[-1] == 1
    assert (board.hidden_photos, board.hidden_comments) == (1, 1)

    page = root_client.get("/admin/").content.decode()
    assert "<svg" in page and "Hidden photos" in page
    assert f"{today.date().isoformat()}: 1" in page


def test_chart_geometry():
    days = [datetime(2026, 1, d, tzinfo=UTC).date() for d in (1, 2, 3)]
    drawn = chart(title="t", days=days, values=[0, 10, 1], color="#000")
    heights = [bar["h"] for bar in drawn["bars"]]
    assert heights == [0, 60, 6]
    assert all(bar["y"] + bar["h"] == 60 for bar in drawn["bars"])
    assert chart(title="t", days=days, values=[0, 0, 0], color="#000")["peak"] == 0
